package io.telebridge.hl7v2;

/**
 * One HL7 v2 message ready for the to-EHR queue.
 *
 * @param controlId MSH-10 (deterministic, ≤ 20 characters): the deduplication key and what MSA-2 must echo
 * @param messageType message code and trigger, e.g. {@code SIU^S12}, {@code ADT^A04}
 * @param payload the ER7 message, segments separated by CR (PHI: {@code toString} leaves it out)
 */
public record OutboundHl7(String controlId, String messageType, String payload) {

  @Override
  public String toString() {
    return "OutboundHl7[controlId=" + controlId + ", messageType=" + messageType + ", payload=***]";
  }
}
