package io.telebridge.core.context;

import java.time.Instant;
import java.util.Optional;

/**
 * Port: the last context pulled for a tenant's patient (DynamoDB with TTL in AWS), for on-demand
 * requests. Keyed by tenant and platform patient id; holds the document as the platform reads it.
 */
public interface ContextCache {

  ContextCache NONE = new ContextCache() {
    @Override
    public Optional<String> fresh(String tenant, String platformPatientId, Instant now) {
      return Optional.empty();
    }

    @Override
    public void put(PatientContext context) {}
  };

  /** The cached document (JSON) if it was fetched within the cache's freshness window before {@code now}. */
  Optional<String> fresh(String tenant, String platformPatientId, Instant now);

  /** Keeps the context (the caller treats a failure to cache as no failure of the pull). */
  void put(PatientContext context);
}
