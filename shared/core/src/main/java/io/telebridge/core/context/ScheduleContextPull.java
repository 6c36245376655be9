package io.telebridge.core.context;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Function;

/**
 * Use case: keeps one pre-visit context pull per appointment in step with the platform's appointment
 * events. Booked or rescheduled: the schedule at start − the tenant's lead (default 60 min), now when
 * the booking falls inside the lead; cancelled or no-show: the schedule deleted. Idempotent: the
 * schedule's name comes from the tenant and the appointment id.
 */
public final class ScheduleContextPull {

  public static final Duration DEFAULT_LEAD = Duration.ofMinutes(60);

  private static final System.Logger LOG = System.getLogger(ScheduleContextPull.class.getName());

  public enum Change { BOOKED, RESCHEDULED, CANCELLED, NO_SHOW }

  private final ContextSchedules schedules;
  private final Function<String, Duration> leadOf;
  private final Clock clock;

  /** @param leadOf the tenant's lead time (null: {@link #DEFAULT_LEAD}) */
  public ScheduleContextPull(ContextSchedules schedules, Function<String, Duration> leadOf, Clock clock) {
    this.schedules = schedules;
    this.leadOf = leadOf;
    this.clock = clock;
  }

  public void onAppointment(String tenant, Change change, String appointmentId, String platformPatientId,
      OffsetDateTime start) {
    if (appointmentId == null || appointmentId.isBlank()) {
      return;
    }
    switch (change) {
      case CANCELLED, NO_SHOW -> {
        schedules.delete(tenant, appointmentId);
        LOG.log(Level.INFO, "context pull unscheduled tenant={0} appointmentId={1} ({2})", tenant, appointmentId, change);
      }
      case BOOKED, RESCHEDULED -> {
        if (start == null || platformPatientId == null) {
          return;
        }
        PullSchedule s = new PullSchedule(tenant, appointmentId, platformPatientId, pullAt(tenant, start.toInstant()));
        schedules.put(s);
        LOG.log(Level.INFO, "context pull scheduled tenant={0} appointmentId={1} at={2} schedule={3}", tenant,
            appointmentId, s.at(), s.name());
      }
    }
  }

  /** start − lead, or now when that has passed (a booking inside the lead pulls at once). */
  Instant pullAt(String tenant, Instant start) {
    Duration lead = leadOf == null ? null : leadOf.apply(tenant);
    Instant at = start.minus(lead == null ? DEFAULT_LEAD : lead);
    Instant now = clock.instant();
    return at.isBefore(now) ? now : at;
  }
}
