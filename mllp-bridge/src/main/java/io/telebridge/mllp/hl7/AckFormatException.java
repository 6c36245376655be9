package io.telebridge.mllp.hl7;

/** The peer's answer is not a readable ACK (no MSA, unknown MSA-1). The message names no data. */
public final class AckFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  public AckFormatException(String message) {
    super(message);
  }
}
