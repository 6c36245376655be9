package io.telebridge.hl7v2;

import io.telebridge.core.error.RejectedException;

/**
 * The event cannot become an HL7 message for this EHR as it stands: a visit type or provider the
 * profile does not map, an unknown patient without demographics to register, a value HAPI's
 * validation refuses. Rejected (never retried as is): it goes to the DLQ with this message, which
 * names the event id, the profile, codes and HL7 locations, never patient data.
 */
public final class UntranslatableEventException extends RejectedException {

  private static final long serialVersionUID = 1L;

  public UntranslatableEventException(String message) {
    super(message);
  }
}
