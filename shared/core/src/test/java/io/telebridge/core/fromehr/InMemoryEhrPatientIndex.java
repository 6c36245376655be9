package io.telebridge.core.fromehr;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@link EhrPatientIndex} port in memory: MRN → linked platform patients; records what was upserted. */
public final class InMemoryEhrPatientIndex implements EhrPatientIndex {

  private final Map<String, Set<String>> links = new HashMap<>();
  public final List<EhrPatient> upserted = new ArrayList<>();
  public final List<Identifier[]> merges = new ArrayList<>();

  private static String key(String tenant, Identifier mrn) {
    return tenant + "#" + mrn.assigningAuthority() + "#" + mrn.value();
  }

  public InMemoryEhrPatientIndex link(String tenant, Identifier mrn, String platformPatientId) {
    links.computeIfAbsent(key(tenant, mrn), k -> new LinkedHashSet<>()).add(platformPatientId);
    return this;
  }

  @Override
  public synchronized List<String> upsert(String tenant, EhrPatient patient) {
    upserted.add(patient);
    String echoed = patient.demographics() == null ? null : patient.demographics().platformPatientId();
    if (echoed != null) {
      link(tenant, patient.mrn(), echoed);
    }
    return platformPatientsOf(tenant, patient.mrn());
  }

  @Override
  public synchronized List<String> merge(String tenant, Identifier survivor, Identifier prior) {
    merges.add(new Identifier[] {survivor, prior});
    Set<String> moved = links.remove(key(tenant, prior));
    if (moved != null) {
      links.computeIfAbsent(key(tenant, survivor), k -> new LinkedHashSet<>()).addAll(moved);
    }
    return platformPatientsOf(tenant, survivor);
  }

  @Override
  public synchronized List<String> platformPatientsOf(String tenant, Identifier mrn) {
    return List.copyOf(links.getOrDefault(key(tenant, mrn), Set.of()));
  }
}
