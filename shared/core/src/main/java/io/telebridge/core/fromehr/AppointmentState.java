package io.telebridge.core.fromehr;

import java.util.EnumMap;
import java.util.Map;

/**
 * The stored state of one appointment for the conflict rule: per field the last value, its source
 * and time; {@code version} for optimistic locking (0 = not stored yet). Ids, times, provider
 * numbers and a status: no PHI.
 */
public record AppointmentState(
    String tenant, String key, String placerId, String fillerId, Map<AppointmentField, FieldState> fields, long version) {

  public AppointmentState {
    EnumMap<AppointmentField, FieldState> copy = new EnumMap<>(AppointmentField.class);
    copy.putAll(fields);
    fields = java.util.Collections.unmodifiableMap(copy);
  }

  public static AppointmentState empty(String tenant, String key) {
    return new AppointmentState(tenant, key, null, null, Map.of(), 0);
  }

  public FieldState field(AppointmentField f) {
    return fields.get(f);
  }
}
