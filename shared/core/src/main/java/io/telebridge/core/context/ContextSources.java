package io.telebridge.core.context;

import java.util.Optional;

/** Port: the FHIR source and profile configured for a tenant (HealthLake or the EHR's FHIR API). */
public interface ContextSources {

  Optional<Source> forTenant(String tenant);

  record Source(FhirProfile profile, ChartReader reader) {}
}
