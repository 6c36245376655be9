package io.telebridge.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleContextPullTest {

  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  final InMemoryContextSchedules schedules = new InMemoryContextSchedules();
  final ScheduleContextPull use = new ScheduleContextPull(schedules,
      Map.of("short-lead", Duration.ofMinutes(1))::get, Clock.fixed(NOW, ZoneOffset.UTC));

  static OffsetDateTime at(String t) {
    return OffsetDateTime.parse(t);
  }

  @Test
  void aBookingSchedulesOnePullAtStartMinusTheDefaultLead() {
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.BOOKED, "apt-1", "pat-1", at("2026-12-07T14:00:00-05:00"));
    PullSchedule s = schedules.byName.get(PullSchedule.nameOf("demo-clinic", "apt-1"));
    assertEquals(Instant.parse("2026-12-07T18:00:00Z"), s.at());
    assertEquals(new ContextRequest("demo-clinic", "pat-1", "apt-1"), s.request());
  }

  @Test
  void theTenantsLeadIsUsed() {
    use.onAppointment("short-lead", ScheduleContextPull.Change.BOOKED, "apt-1", "pat-1", at("2026-12-07T10:02:00Z"));
    assertEquals(Instant.parse("2026-12-07T10:01:00Z"), schedules.byName.values().iterator().next().at());
  }

  @Test
  void aBookingInsideTheLeadPullsAtOnce() {
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.BOOKED, "apt-1", "pat-1", at("2026-12-07T10:30:00Z"));
    assertEquals(NOW, schedules.byName.values().iterator().next().at());
  }

  @Test
  void aRedeliveredBookingKeepsOneScheduleAndARescheduleMovesIt() {
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.BOOKED, "apt-1", "pat-1", at("2026-12-08T10:00:00Z"));
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.BOOKED, "apt-1", "pat-1", at("2026-12-08T10:00:00Z"));
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.RESCHEDULED, "apt-1", "pat-1",
        at("2026-12-09T10:00:00Z"));
    assertEquals(1, schedules.byName.size());
    assertEquals(Instant.parse("2026-12-09T09:00:00Z"), schedules.byName.values().iterator().next().at());
  }

  @Test
  void cancelAndNoShowDeleteTheSchedule() {
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.BOOKED, "apt-1", "pat-1", at("2026-12-08T10:00:00Z"));
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.BOOKED, "apt-2", "pat-1", at("2026-12-08T11:00:00Z"));
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.CANCELLED, "apt-1", "pat-1", null);
    use.onAppointment("demo-clinic", ScheduleContextPull.Change.NO_SHOW, "apt-2", "pat-1", null);
    assertTrue(schedules.byName.isEmpty());
  }

  @Test
  void twoTenantsSameAppointmentIdGetTwoSchedules() {
    assertNotEquals(PullSchedule.nameOf("a", "apt-1"), PullSchedule.nameOf("b", "apt-1"));
    assertTrue(PullSchedule.nameOf("a", "apt-1").matches("[0-9a-zA-Z_.-]{1,64}"));
  }
}
