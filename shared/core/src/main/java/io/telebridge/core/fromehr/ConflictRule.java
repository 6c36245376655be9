package io.telebridge.core.fromehr;

import java.time.OffsetDateTime;

/**
 * The conflict rule for one field, pure. In this order:
 *
 * <ol>
 *   <li>nothing stored → {@link FieldDecision#APPLIED};
 *   <li>same value as stored: stored by the platform and now reported by the EHR →
 *       {@link FieldDecision#ECHO} (telebridge's own change coming back: whatever its time, it is not
 *       sent back); else {@link FieldDecision#UNCHANGED};
 *   <li>older than the stored change → {@link FieldDecision#STALE};
 *   <li>stored by the same system, or the incoming system wins the field → {@link FieldDecision#APPLIED};
 *   <li>else (the stored value came from the field's winner) → {@link FieldDecision#KEPT_BY_POLICY}.
 * </ol>
 */
public final class ConflictRule {

  private ConflictRule() {}

  public static FieldDecision decide(AppointmentField field, FieldState stored, FieldState incoming, ChangeSource winner) {
    if (incoming == null || incoming.value() == null) {
      return FieldDecision.UNCHANGED;
    }
    if (stored == null || stored.value() == null) {
      return FieldDecision.APPLIED;
    }
    if (sameValue(field, stored.value(), incoming.value())) {
      return stored.source() == ChangeSource.PLATFORM && incoming.source() == ChangeSource.EHR
          ? FieldDecision.ECHO
          : FieldDecision.UNCHANGED;
    }
    if (incoming.at().isBefore(stored.at())) {
      return FieldDecision.STALE;
    }
    if (stored.source() == incoming.source() || winner == incoming.source()) {
      return FieldDecision.APPLIED;
    }
    return FieldDecision.KEPT_BY_POLICY;
  }

  /** Times compare as instants (the same moment in another offset is the same time). */
  static boolean sameValue(AppointmentField field, String a, String b) {
    if (field != AppointmentField.TIME) {
      return a.equals(b);
    }
    String[] x = a.split("/", 2);
    String[] y = b.split("/", 2);
    if (x.length != 2 || y.length != 2) {
      return a.equals(b);
    }
    try {
      return OffsetDateTime.parse(x[0]).toInstant().equals(OffsetDateTime.parse(y[0]).toInstant())
          && OffsetDateTime.parse(x[1]).toInstant().equals(OffsetDateTime.parse(y[1]).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return a.equals(b);
    }
  }

  /** Canonical time value. */
  public static String timeValue(OffsetDateTime start, OffsetDateTime end) {
    return start == null || end == null ? null : start + "/" + end;
  }

  /** Canonical provider value: the NPI when known (both systems know it), else the EHR's id. */
  public static String providerValue(String npi, String ehrId) {
    if (npi != null && !npi.isBlank()) {
      return "npi:" + npi;
    }
    return ehrId == null || ehrId.isBlank() ? null : "id:" + ehrId;
  }

  /** The platform's status words mapped onto the state's: {@code rescheduled} is still {@code booked}. */
  public static String statusValue(String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    return "rescheduled".equals(status) ? "booked" : status;
  }
}
