package io.telebridge.matching.mpi;

import io.telebridge.matching.CandidateIndex;
import io.telebridge.matching.NormalizedPerson;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One tenant's view of a shared {@link CandidateIndex}: every blocking key is prefixed with the
 * tenant, so one tenant's registrations are never candidates for another's. Person ids are global.
 */
final class TenantIndex implements CandidateIndex {

  private final CandidateIndex index;
  private final String prefix;

  TenantIndex(CandidateIndex index, String tenant) {
    this.index = index;
    this.prefix = tenant + "|";
  }

  Set<String> scoped(Set<String> keys) {
    Set<String> out = new LinkedHashSet<>();
    for (String k : keys) {
      out.add(prefix + k);
    }
    return out;
  }

  @Override
  public List<String> lookup(String key, int limit) {
    return index.lookup(prefix + key, limit);
  }

  @Override
  public List<List<String>> lookupAll(List<String> keys, int limit) {
    List<String> scopedKeys = new java.util.ArrayList<>(keys.size());
    for (String k : keys) {
      scopedKeys.add(prefix + k);
    }
    return index.lookupAll(scopedKeys, limit);
  }

  @Override
  public List<List<NormalizedPerson>> recordsAll(List<String> patientIds) {
    return index.recordsAll(patientIds);
  }

  @Override
  public List<NormalizedPerson> records(String patientId) {
    return index.records(patientId);
  }

  @Override
  public void file(String patientId, NormalizedPerson record, Set<String> keys) {
    index.file(patientId, record, scoped(keys));
  }
}
