package io.telebridge.core.toehr;

import io.telebridge.core.context.ChartWrite;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.PlatformEvent;

/**
 * Port: the visit events a tenant's EHR profile records over FHIR R4 (its {@code fhir.visitRecord} is
 * {@code fhir} or {@code both}) are written there by the translator, before any HL7 message of the
 * event is queued (a retried event writes again, and the write is idempotent). For a tenant on HL7 v2
 * only, and for every other event type, nothing is written.
 */
public interface VisitRecordWrites {

  VisitRecordWrites NONE = (event, patient) -> null;

  /**
   * @return what was written, or null when this event is not recorded over FHIR for its tenant
   * @throws io.telebridge.core.error.RejectedException refused for good (to the DLQ with the reason)
   * @throws io.telebridge.core.error.TransientException retry
   */
  ChartWrite write(PlatformEvent event, Resolution patient);
}
