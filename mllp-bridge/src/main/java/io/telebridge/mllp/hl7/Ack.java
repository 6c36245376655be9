package io.telebridge.mllp.hl7;

/**
 * What an ACK says, codes only. A NACK (AE/AR/CE/CR) is data, not an exception.
 *
 * <p>No free text is kept: MSA-3, ERR-7 (diagnostics) and ERR-8 (user message) can echo patient
 * data from the message they answer, so they are never read into this record, logged or sent to
 * the DLQ. What is kept is coded: the error code (ERR-3.1, table 0357, e.g. {@code 207}), the
 * location (ERR-2 positions: segment id, sequence, field, component — positions, no values), the
 * severity (ERR-4: E, W, I).
 *
 * @param code MSA-1
 * @param controlId MSA-2: the MSH-10 of the message it answers
 * @param errorCode ERR-3.1 (or ERR-1.4.1 in v2.3-style ACKs); empty when absent
 * @param errorLocation ERR-2 as {@code SEG^seq^field^component} (or ERR-1.1-3); empty when absent
 * @param severity ERR-4; empty when absent
 */
public record Ack(AckCode code, String controlId, String errorCode, String errorLocation, String severity) {

  public boolean accepted() {
    return code.accepted();
  }
}
