package io.telebridge.core.context;

import io.telebridge.core.model.Identifier;
import java.time.Instant;

/**
 * What the reader fetches for one context: the patient by MRN (searched as
 * {@code identifier=<patientIdentifierSystem>|<mrn>}), then the sections. Results are laboratory
 * Observations and DiagnosticReports dated on or after {@code resultsSince}, newest first, at most
 * {@code resultsMax} of each; {@code maxPages} bounds paging of every search.
 */
public record ChartQuery(String tenant, Identifier mrn, String patientIdentifierSystem, Instant resultsSince,
    int resultsMax, boolean medicationStatements, int maxPages) {

  public ChartQuery {
    if (resultsMax < 1 || maxPages < 1) {
      throw new IllegalArgumentException("resultsMax and maxPages must be positive");
    }
  }

  @Override
  public String toString() {
    return "ChartQuery[tenant=" + tenant + ", ***]";
  }
}
