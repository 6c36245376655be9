package io.telebridge.core.context;

import io.telebridge.core.error.TransientException;

/**
 * A visit event's patient has no Patient in the FHIR record yet: none carries its EHR MRN, the platform id
 * under the profile's platform system, or the platform id under the tenant's own telebridge system — the
 * EHR has not registered the patient (its ADT is in flight) or the MRN is not linked yet. Retried by the FIFO
 * loop (the patient's later events wait behind it, in order); after {@code MaxReceiveCount} attempts the
 * event is on the intake DLQ, and the journal's trace of the event names this class at each attempt. The
 * runbook's "A visit waits for its patient in the FHIR record" says what to check and how to redrive.
 */
public class PatientNotInRecord extends TransientException {

  /** The reason code in the message, for logs and the runbook. */
  public static final String REASON = "patient_not_in_record";

  public PatientNotInRecord(String eventId) {
    super(REASON + ": event " + eventId + ": no FHIR Patient has the patient's MRN, platform id or telebridge id yet"
        + " (the EHR has not registered it, or its MRN is not linked)", null);
  }
}
