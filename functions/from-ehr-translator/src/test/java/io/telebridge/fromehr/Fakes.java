package io.telebridge.fromehr;

import io.telebridge.core.fromehr.AppointmentState;
import io.telebridge.core.fromehr.AppointmentStates;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** In-memory ports for the handler's unit tests. */
final class Fakes {

  private Fakes() {}

  static final class Index implements EhrPatientIndex {
    final Map<String, Set<String>> links = new HashMap<>();

    Index link(Identifier mrn, String platformId) {
      links.computeIfAbsent(mrn.assigningAuthority() + "#" + mrn.value(), k -> new LinkedHashSet<>()).add(platformId);
      return this;
    }

    @Override
    public List<String> upsert(String tenant, EhrPatient patient) {
      if (patient.demographics().platformPatientId() != null) {
        link(patient.mrn(), patient.demographics().platformPatientId());
      }
      return platformPatientsOf(tenant, patient.mrn());
    }

    @Override
    public List<String> merge(String tenant, Identifier survivor, Identifier prior) {
      Set<String> moved = links.remove(prior.assigningAuthority() + "#" + prior.value());
      if (moved != null) {
        moved.forEach(p -> link(survivor, p));
      }
      return platformPatientsOf(tenant, survivor);
    }

    @Override
    public List<String> platformPatientsOf(String tenant, Identifier mrn) {
      return List.copyOf(links.getOrDefault(mrn.assigningAuthority() + "#" + mrn.value(), Set.of()));
    }
  }

  static final class States implements AppointmentStates {
    final Map<String, AppointmentState> states = new HashMap<>();

    @Override
    public Optional<AppointmentState> load(String tenant, String key) {
      return Optional.ofNullable(states.get(key));
    }

    @Override
    public boolean save(AppointmentState next, long expectedVersion) {
      AppointmentState stored = states.get(next.key());
      if ((stored == null ? 0 : stored.version()) != expectedVersion) {
        return false;
      }
      states.put(next.key(), new AppointmentState(next.tenant(), next.key(), next.placerId(), next.fillerId(),
          next.fields(), expectedVersion + 1));
      return true;
    }
  }
}
