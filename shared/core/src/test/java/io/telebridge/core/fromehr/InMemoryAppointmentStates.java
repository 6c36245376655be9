package io.telebridge.core.fromehr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The {@link AppointmentStates} port in memory, with the same version check as the DynamoDB adapter. */
public final class InMemoryAppointmentStates implements AppointmentStates {

  private final Map<String, AppointmentState> states = new HashMap<>();
  /** Writes to fail with a version conflict before succeeding (simulates a concurrent writer). */
  public int conflictsToInject;
  public int saves;

  @Override
  public synchronized Optional<AppointmentState> load(String tenant, String key) {
    return Optional.ofNullable(states.get(tenant + "#" + key));
  }

  @Override
  public synchronized boolean save(AppointmentState next, long expectedVersion) {
    if (conflictsToInject > 0) {
      conflictsToInject--;
      return false;
    }
    AppointmentState stored = states.get(next.tenant() + "#" + next.key());
    long current = stored == null ? 0 : stored.version();
    if (current != expectedVersion) {
      return false;
    }
    states.put(next.tenant() + "#" + next.key(), new AppointmentState(next.tenant(), next.key(), next.placerId(),
        next.fillerId(), next.fields(), expectedVersion + 1));
    saves++;
    return true;
  }
}
