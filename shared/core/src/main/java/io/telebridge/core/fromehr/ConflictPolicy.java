package io.telebridge.core.fromehr;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which system wins each appointment field when both changed it (configuration, e.g.
 * {@code CONFLICT_POLICY=time:EHR,provider:EHR,status:PLATFORM}). Default: the EHR wins every field,
 * since it owns the clinician's calendar. A field not named keeps the default.
 */
public record ConflictPolicy(Map<AppointmentField, ChangeSource> winners) {

  public ConflictPolicy {
    EnumMap<AppointmentField, ChangeSource> all = new EnumMap<>(AppointmentField.class);
    for (AppointmentField f : AppointmentField.values()) {
      all.put(f, ChangeSource.EHR);
    }
    all.putAll(winners);
    winners = java.util.Collections.unmodifiableMap(all);
  }

  public static ConflictPolicy ehrWins() {
    return new ConflictPolicy(Map.of());
  }

  public ChangeSource winner(AppointmentField field) {
    return winners.get(field);
  }

  /** Parses {@code field:SOURCE[,field:SOURCE...]}; blank = the default. */
  public static ConflictPolicy parse(String text) {
    if (text == null || text.isBlank()) {
      return ehrWins();
    }
    Map<AppointmentField, ChangeSource> winners = new EnumMap<>(AppointmentField.class);
    for (String part : text.split(",")) {
      String[] kv = part.trim().split(":", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException("CONFLICT_POLICY: expected field:SOURCE, got '" + part.trim() + "'");
      }
      AppointmentField field;
      ChangeSource source;
      try {
        field = AppointmentField.valueOf(kv[0].trim().toUpperCase(Locale.ROOT));
        source = ChangeSource.valueOf(kv[1].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("CONFLICT_POLICY: unknown field or source in '" + part.trim()
            + "' (fields time, provider, status; sources EHR, PLATFORM)");
      }
      winners.put(field, source);
    }
    return new ConflictPolicy(winners);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    winners.forEach((f, s) -> b.append(b.isEmpty() ? "" : ",").append(f.wireName()).append(':').append(s));
    return b.toString();
  }
}
