package io.telebridge.core.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Test fake of the identity port. */
public final class InMemoryPatientIdentities implements PatientIdentities {

  public final Map<String, CrossReference> xrefs = new ConcurrentHashMap<>();

  @Override
  public Optional<CrossReference> find(String tenant, String platformPatientId) {
    return Optional.ofNullable(xrefs.get(tenant + "/" + platformPatientId));
  }

  @Override
  public CrossReference registerIfAbsent(String tenant, String platformPatientId, String eventId, Instant now) {
    return xrefs.computeIfAbsent(tenant + "/" + platformPatientId,
        k -> new CrossReference(tenant, platformPatientId, List.of(), eventId, now));
  }
}
