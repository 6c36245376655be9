package io.telebridge.matching;

import java.util.List;
import java.util.Set;

/**
 * Port: where the matcher finds candidates. A patient is one or more normalised records filed under
 * their blocking keys. Lookups are by key only, never a scan. The in-memory adapter is
 * {@link InMemoryCandidateIndex}; a DynamoDB adapter implements the same contract.
 */
public interface CandidateIndex {

  /**
   * Patient ids filed under {@code key}, at most {@code limit + 1} of them, so that a caller can tell a
   * saturated (unselective) key from a full answer.
   */
  List<String> lookup(String key, int limit);

  /** The records filed for a patient (empty if unknown). */
  List<NormalizedPerson> records(String patientId);

  /** Files a record for a patient under the given keys (idempotent per record id). */
  void file(String patientId, NormalizedPerson record, Set<String> keys);
}
