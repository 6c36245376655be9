package io.telebridge.core.identity;

import java.time.Instant;
import java.util.Optional;

/** Port: the identity index's cross-references (DynamoDB in AWS). */
public interface PatientIdentities {

  Optional<CrossReference> find(String tenant, String platformPatientId);

  /**
   * Records a new platform patient registered by {@code eventId}, with one conditional write.
   *
   * @return the stored cross-reference: the new one, or the one that already existed
   * @throws io.telebridge.core.error.TransientException when the store is unavailable
   */
  CrossReference registerIfAbsent(String tenant, String platformPatientId, String eventId, Instant now);
}
