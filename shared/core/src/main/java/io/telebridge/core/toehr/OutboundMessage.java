package io.telebridge.core.toehr;

/**
 * One message for the EHR. The payload holds PHI: {@code toString} shows ids only.
 *
 * @param controlId deterministic per (event, message kind): HL7 MSH-10, the SQS deduplication id
 * @param messageType e.g. {@code ADT^A04}, {@code SIU^S12}
 * @param payload the encoded message (HL7 ER7, CR-separated)
 */
public record OutboundMessage(String controlId, String messageType, String payload) {
  @Override
  public String toString() {
    return "OutboundMessage[controlId=" + controlId + ", messageType=" + messageType + "]";
  }
}
