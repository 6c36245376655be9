package io.telebridge.core.context;

/**
 * The app-ready clinical context of one platform patient (api/openapi.yaml, {@code PatientContext}):
 * demographics, active problems, active medications, allergies and recent results, each section
 * explicit about completeness, plus provenance. PHI: {@code toString} shows ids only.
 *
 * @param version increases with each pull for the same patient and appointment (the fetch time in
 *     milliseconds): a later version supersedes an earlier one
 */
public record PatientContext(String tenant, String platformPatientId, String appointmentId, long version,
    ChartPatient patient, Section<Problem> problems, Section<Medication> medications, Section<Allergy> allergies,
    Section<ClinicalResult> results, Provenance provenance) {

  @Override
  public String toString() {
    return "PatientContext[tenant=" + tenant + ", platformPatientId=" + platformPatientId + ", appointmentId="
        + appointmentId + ", version=" + version + ", ***]";
  }
}
