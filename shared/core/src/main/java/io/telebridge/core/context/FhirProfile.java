package io.telebridge.core.context;

import java.time.Duration;

/**
 * A tenant's context settings (from its EHR profile): the identifier system its MRNs carry in FHIR,
 * how far back and how many results to show, whether the EHR records MedicationStatements, and the
 * paging limit per search.
 */
public record FhirProfile(String patientIdentifierSystem, Duration resultsWindow, int resultsMax,
    boolean medicationStatements, int maxPages) {

  public static final Duration DEFAULT_RESULTS_WINDOW = Duration.ofDays(365);
  public static final int DEFAULT_RESULTS_MAX = 50;
  public static final int DEFAULT_MAX_PAGES = 5;

  public FhirProfile {
    if (patientIdentifierSystem == null || patientIdentifierSystem.isBlank()) {
      throw new IllegalArgumentException("patientIdentifierSystem is required");
    }
    if (resultsWindow == null || resultsWindow.isNegative() || resultsWindow.isZero()) {
      throw new IllegalArgumentException("resultsWindow must be positive");
    }
    if (resultsMax < 1 || maxPages < 1) {
      throw new IllegalArgumentException("resultsMax and maxPages must be positive");
    }
  }

  public static FhirProfile withDefaults(String patientIdentifierSystem) {
    return new FhirProfile(patientIdentifierSystem, DEFAULT_RESULTS_WINDOW, DEFAULT_RESULTS_MAX, true,
        DEFAULT_MAX_PAGES);
  }
}
