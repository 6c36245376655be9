package io.telebridge.mllp.listener;

import java.time.Instant;

/**
 * A message accepted from the EHR, as it goes on the from-EHR FIFO queue (the contract: body = the
 * message text as received with CR segment ends; attributes sendingFacility, controlId,
 * messageType, receivedAt; group = the patient's MRN; deduplication = SHA-256 of
 * {@code <sending facility>|<MSH-10>}). The body holds PHI: {@link #toString()} shows ids only.
 */
public record FromEhrMessage(
    String body,
    String groupId,
    String deduplicationId,
    String sendingFacility,
    String controlId,
    String messageType,
    Instant receivedAt) {

  @Override
  public String toString() {
    return "FromEhrMessage[controlId=" + controlId + ", type=" + messageType + ", facility=" + sendingFacility
        + ", dedup=" + deduplicationId + ", body=" + (body == null ? 0 : body.length()) + " chars]";
  }
}
