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

  /**
   * {@link #lookup} for several keys, answers in key order. Adapters with a network between them and
   * the data override this to ask for all keys at once.
   */
  default List<List<String>> lookupAll(List<String> keys, int limit) {
    List<List<String>> out = new java.util.ArrayList<>(keys.size());
    for (String key : keys) {
      out.add(lookup(key, limit));
    }
    return out;
  }

  /** {@link #records} for several patients, answers in id order; overridden like {@link #lookupAll}. */
  default List<List<NormalizedPerson>> recordsAll(List<String> patientIds) {
    List<List<NormalizedPerson>> out = new java.util.ArrayList<>(patientIds.size());
    for (String id : patientIds) {
      out.add(records(id));
    }
    return out;
  }

  /** Files a record for a patient under the given keys (idempotent per record id). */
  void file(String patientId, NormalizedPerson record, Set<String> keys);
}
