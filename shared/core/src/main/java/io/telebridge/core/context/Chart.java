package io.telebridge.core.context;

/**
 * What a {@link ChartReader} read for one patient, mapped from FHIR but not yet filtered:
 * {@code patient} is {@code null} when no Patient has the MRN (then the sections are empty).
 *
 * @param roundTrips HTTP requests made to the FHIR server (token requests not counted)
 */
public record Chart(ChartPatient patient, Section<Problem> problems, Section<Medication> medications,
    Section<Allergy> allergies, Section<ClinicalResult> results, int roundTrips) {

  public static Chart notFound(int roundTrips) {
    return new Chart(null, Section.complete(java.util.List.of()), Section.complete(java.util.List.of()),
        Section.complete(java.util.List.of()), Section.complete(java.util.List.of()), roundTrips);
  }
}
