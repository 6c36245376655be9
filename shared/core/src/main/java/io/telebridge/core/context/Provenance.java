package io.telebridge.core.context;

import java.time.Instant;

/**
 * Where a context came from: the source kind ({@code healthlake}, {@code ehr-fhir}), the FHIR base
 * URL, when it was fetched, the FHIR Patient id and how many HTTP round trips the read took. Each
 * item carries its own FHIR id.
 */
public record Provenance(String source, String baseUrl, Instant fetchedAt, String patientFhirId, int roundTrips) {}
