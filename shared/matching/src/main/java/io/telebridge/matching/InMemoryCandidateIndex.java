package io.telebridge.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link CandidateIndex} in process memory, for tests, the benchmark and in-process latency figures. */
public final class InMemoryCandidateIndex implements CandidateIndex {

  private final Map<String, LinkedHashSet<String>> byKey = new HashMap<>();
  private final Map<String, List<NormalizedPerson>> byPatient = new HashMap<>();

  @Override
  public synchronized List<String> lookup(String key, int limit) {
    LinkedHashSet<String> ids = byKey.get(key);
    if (ids == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(Math.min(ids.size(), limit + 1));
    for (String id : ids) {
      out.add(id);
      if (out.size() > limit) {
        break;
      }
    }
    return out;
  }

  @Override
  public synchronized List<NormalizedPerson> records(String patientId) {
    return List.copyOf(byPatient.getOrDefault(patientId, List.of()));
  }

  @Override
  public synchronized void file(String patientId, NormalizedPerson record, Set<String> keys) {
    List<NormalizedPerson> records = byPatient.computeIfAbsent(patientId, k -> new ArrayList<>());
    if (records.stream().anyMatch(r -> r.recordId() != null && r.recordId().equals(record.recordId()))) {
      return;
    }
    records.add(record);
    for (String key : keys) {
      byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(patientId);
    }
  }

  public synchronized int patientCount() {
    return byPatient.size();
  }
}
