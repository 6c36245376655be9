package io.telebridge.core.context;

/**
 * Port: the write half beside {@link ChartReader}: puts what one visit event produced into the
 * patient's record on a FHIR R4 server (HealthLake or the EHR's FHIR API) — Encounter,
 * DocumentReference, ServiceRequest, ChargeItem — idempotently: the same event written twice is
 * stored once (conditional creates on the platform ids under the tenant's identifier systems).
 *
 * @throws io.telebridge.core.error.RejectedException the server refused the write for good (4xx), or the
 *     event cannot be expressed for this tenant's profile (an unmapped code): to the DLQ with the reason
 * @throws io.telebridge.core.error.TransientException the server failed, timed out or could not be reached,
 *     or the patient is not (yet) in the record: retry
 */
public interface ChartWriter {

  ChartWrite write(VisitRecord record);
}
