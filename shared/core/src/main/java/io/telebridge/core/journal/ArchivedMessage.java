package io.telebridge.core.journal;

import java.util.Map;

/**
 * A message as it was queued for a stage, kept (with the journal's TTL, in its own encrypted table)
 * so that one message can be re-sent to that stage. The body is PHI: {@link #toString()} shows ids.
 *
 * @param tenant the tenant
 * @param subject {@code hl7:<MSH-10>} (re-sent to the to-EHR queue) or {@code event:<id>} (to the intake queue)
 * @param groupId the FIFO message group it was queued in (the patient's: order holds)
 * @param body the message as queued
 * @param attributes the message attributes it was queued with
 */
public record ArchivedMessage(String tenant, String subject, String groupId, String body,
    Map<String, String> attributes) {

  public ArchivedMessage {
    attributes = Map.copyOf(attributes);
  }

  @Override
  public String toString() {
    return "ArchivedMessage[tenant=" + tenant + ", subject=" + subject + ", group=" + groupId + ", body="
        + (body == null ? 0 : body.length()) + " chars]";
  }
}
