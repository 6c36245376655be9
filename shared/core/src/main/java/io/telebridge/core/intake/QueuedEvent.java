package io.telebridge.core.intake;

import java.time.Instant;

/**
 * An accepted event on its way to the intake queue. The body is the exact signed JSON.
 *
 * @param groupId the FIFO message group: the platform patient id
 * @param deduplicationId the FIFO deduplication id: the event id
 */
public record QueuedEvent(
    String eventId, String type, String tenant, String groupId, String deduplicationId, byte[] body, Instant receivedAt) {

  public static QueuedEvent of(ValidatedEvent event, byte[] body, Instant receivedAt) {
    return new QueuedEvent(
        event.eventId(), event.type(), event.tenant(), event.patientId(), event.eventId(), body, receivedAt);
  }

  @Override
  public String toString() {
    return "QueuedEvent[eventId=" + eventId + ", type=" + type + ", tenant=" + tenant
        + ", body=" + body.length + " bytes]";
  }
}
