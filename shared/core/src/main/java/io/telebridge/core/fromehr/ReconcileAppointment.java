package io.telebridge.core.fromehr;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.model.Provider;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case: keeps each appointment's state for the conflict rule ({@link ConflictRule}) in the
 * {@link AppointmentStates} store, versioned (a conditional write; on a conflict: reload, decide
 * again).
 *
 * <ul>
 *   <li>{@link #decide} + {@link #commit}: a change reported by the EHR (SIU). Two steps so the
 *       caller can send the platform its event before the state moves on: a failure after the send
 *       and before the commit makes a retry decide the same again and send the same (deterministic)
 *       event id, which the queue and the platform deduplicate. Nothing is lost.
 *   <li>{@link #recordPlatformChange}: what telebridge pushed to the EHR for the platform, so the
 *       EHR's echo of it is recognised.
 * </ul>
 */
public final class ReconcileAppointment {

  static final int ATTEMPTS = 5;

  private final AppointmentStates states;
  private final ConflictPolicy policy;

  public ReconcileAppointment(AppointmentStates states, ConflictPolicy policy) {
    this.states = states;
    this.policy = policy;
  }

  public ConflictPolicy policy() {
    return policy;
  }

  /** The outcome for one EHR message: the state before and after, and the decision per field. */
  public record Decision(
      AppointmentState before, AppointmentState after, Map<AppointmentField, FieldDecision> fields, Provider provider) {

    public Decision {
      EnumMap<AppointmentField, FieldDecision> copy = new EnumMap<>(AppointmentField.class);
      copy.putAll(fields);
      fields = java.util.Collections.unmodifiableMap(copy);
    }

    /** Fields whose new value the platform must hear about, in field order. */
    public List<AppointmentField> changed() {
      return fields.entrySet().stream().filter(e -> e.getValue().changes()).map(Map.Entry::getKey).toList();
    }

    public long count(FieldDecision d) {
      return fields.values().stream().filter(d::equals).count();
    }

    /** The appointment as the platform should now show it. */
    public OutboundData.AppointmentSnapshot snapshot() {
      OffsetDateTime start = null;
      OffsetDateTime end = null;
      FieldState time = after.field(AppointmentField.TIME);
      if (time != null && time.value() != null) {
        String[] t = time.value().split("/", 2);
        start = OffsetDateTime.parse(t[0]);
        end = OffsetDateTime.parse(t[1]);
      }
      Provider shown = null;
      FieldState p = after.field(AppointmentField.PROVIDER);
      if (p != null && p.value() != null) {
        if (provider != null
            && p.value().equals(ConflictRule.providerValue(provider.npi(), provider.id()))) {
          shown = provider;
        } else if (p.value().startsWith("npi:")) {
          shown = new Provider(null, p.value().substring(4), null);
        } else {
          shown = new Provider(p.value().substring(3), null, null);
        }
      }
      FieldState status = after.field(AppointmentField.STATUS);
      return new OutboundData.AppointmentSnapshot(after.placerId(), after.fillerId(), start, end, shown,
          status == null ? null : status.value());
    }
  }

  /** Loads the state and decides, field by field, what the EHR's change does. Writes nothing. */
  public Decision decide(String tenant, EhrAppointmentEvent event, Instant at) {
    AppointmentState before = states.load(tenant, event.appointmentKey())
        .orElse(AppointmentState.empty(tenant, event.appointmentKey()));
    Map<AppointmentField, FieldState> incoming = new EnumMap<>(AppointmentField.class);
    put(incoming, AppointmentField.TIME, ConflictRule.timeValue(event.start(), event.end()), at);
    Provider provider = event.provider();
    put(incoming, AppointmentField.PROVIDER,
        provider == null ? null : ConflictRule.providerValue(provider.npi(), provider.id()), at);
    put(incoming, AppointmentField.STATUS, event.kind().status(), at);

    Map<AppointmentField, FieldDecision> decisions = new EnumMap<>(AppointmentField.class);
    Map<AppointmentField, FieldState> next = new EnumMap<>(AppointmentField.class);
    next.putAll(before.fields());
    for (AppointmentField f : AppointmentField.values()) {
      FieldDecision d = ConflictRule.decide(f, before.field(f), incoming.get(f), policy.winner(f));
      decisions.put(f, d);
      if (d == FieldDecision.APPLIED) {
        next.put(f, incoming.get(f));
      }
    }
    AppointmentState after = new AppointmentState(tenant, before.key(),
        firstNonBlank(before.placerId(), event.placerId()), firstNonBlank(event.fillerId(), before.fillerId()),
        next, before.version());
    return new Decision(before, after, decisions, provider);
  }

  /**
   * Stores the decided state if nobody wrote in between.
   *
   * @return false on a version conflict: call {@link #decide} again
   */
  public boolean commit(Decision decision) {
    AppointmentState before = decision.before();
    AppointmentState after = decision.after();
    if (before.version() > 0 && before.fields().equals(after.fields())
        && Objects.equals(before.placerId(), after.placerId()) && Objects.equals(before.fillerId(), after.fillerId())) {
      return true; // nothing to write (echo, stale, repeat)
    }
    return states.save(after, before.version());
  }

  /**
   * Records what telebridge pushed to the EHR for a platform change (booking, reschedule,
   * cancellation, no-show), so the EHR's echo of it is recognised. A change older than the stored one
   * for a field leaves that field alone. Null values are not recorded.
   *
   * @param appointmentId the platform's appointment id (SCH-1 placer id)
   * @param ehrId the EHR's appointment id (SCH-2), when known
   * @param status the platform's status word (booked, rescheduled, cancelled, no_show, ...)
   * @param at the platform event's {@code occurredAt}
   */
  public void recordPlatformChange(String tenant, String appointmentId, String ehrId, OffsetDateTime start,
      OffsetDateTime end, String providerNpi, String providerEhrId, String status, Instant at) {
    Map<AppointmentField, FieldState> incoming = new EnumMap<>(AppointmentField.class);
    put(incoming, AppointmentField.TIME, ConflictRule.timeValue(start, end), at, ChangeSource.PLATFORM);
    put(incoming, AppointmentField.PROVIDER, ConflictRule.providerValue(providerNpi, providerEhrId), at,
        ChangeSource.PLATFORM);
    put(incoming, AppointmentField.STATUS, ConflictRule.statusValue(status), at, ChangeSource.PLATFORM);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      AppointmentState before = states.load(tenant, appointmentId).orElse(AppointmentState.empty(tenant, appointmentId));
      Map<AppointmentField, FieldState> next = new EnumMap<>(AppointmentField.class);
      next.putAll(before.fields());
      incoming.forEach((f, v) -> {
        FieldState stored = before.field(f);
        if (stored == null || !v.at().isBefore(stored.at())) {
          next.put(f, v);
        }
      });
      AppointmentState after = new AppointmentState(tenant, appointmentId, appointmentId,
          firstNonBlank(ehrId, before.fillerId()), next, before.version());
      if (states.save(after, before.version())) {
        return;
      }
    }
    throw new TransientException("appointment " + appointmentId + ": state kept changing (" + ATTEMPTS
        + " version conflicts)", null);
  }

  private static void put(Map<AppointmentField, FieldState> m, AppointmentField f, String value, Instant at) {
    put(m, f, value, at, ChangeSource.EHR);
  }

  private static void put(Map<AppointmentField, FieldState> m, AppointmentField f, String value, Instant at,
      ChangeSource source) {
    if (value != null) {
      m.put(f, new FieldState(value, source, at));
    }
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }

  static List<String> wireNames(List<AppointmentField> fields) {
    List<String> out = new ArrayList<>();
    fields.forEach(f -> out.add(f.wireName()));
    return out;
  }
}
