package io.telebridge.core.context;

/**
 * Port: reads one patient's chart from a FHIR R4 server (HealthLake or the EHR's FHIR API) with as
 * few round trips as the server allows. A section the server refuses (403) or does not support comes
 * back {@link Section#unavailable}; the whole read fails only when the patient itself cannot be read.
 *
 * @throws io.telebridge.core.error.TransientException the server failed or could not be reached (retry)
 * @throws ChartAccessDenied the server or its authorization server refused the credentials
 */
public interface ChartReader {

  Chart read(ChartQuery query);

  /** A short name for provenance: {@code healthlake}, {@code ehr-fhir}. */
  String source();

  /** The FHIR base URL read from (no credentials, no patient data). */
  String baseUrl();
}
