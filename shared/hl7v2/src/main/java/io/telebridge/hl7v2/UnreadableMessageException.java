package io.telebridge.hl7v2;

import io.telebridge.core.error.RejectedException;

/**
 * A message from the EHR that cannot be read as it stands: not HL7 v2, a message type the return path
 * does not carry, a required part missing (PID-3, SCH ids, MRG-1). Rejected (never retried as is): it
 * goes to the from-EHR DLQ with this message, which names MSH-10, the type and HL7 locations, never
 * patient data.
 */
public final class UnreadableMessageException extends RejectedException {

  private static final long serialVersionUID = 1L;

  public UnreadableMessageException(String message) {
    super(message);
  }
}
