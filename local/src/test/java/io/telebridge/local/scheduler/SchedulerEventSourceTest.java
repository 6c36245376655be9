package io.telebridge.local.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchedulerEventSourceTest {

  @Test
  void aOneTimeScheduleIsDueAtItsTimeInItsZone() {
    assertEquals(Instant.parse("2026-12-07T14:00:00Z"), SchedulerEventSource.dueAt("at(2026-12-07T14:00:00)", "UTC"));
    assertEquals(Instant.parse("2026-12-07T14:00:00Z"), SchedulerEventSource.dueAt("at(2026-12-07T14:00:00)", null));
    assertEquals(Instant.parse("2026-12-07T19:00:00Z"),
        SchedulerEventSource.dueAt("at(2026-12-07T14:00:00)", "America/New_York"));
  }

  @Test
  void rateCronAndUnreadableExpressionsAreNeverDue() {
    assertNull(SchedulerEventSource.dueAt("rate(5 minutes)", "UTC"));
    assertNull(SchedulerEventSource.dueAt("cron(0 12 * * ? *)", "UTC"));
    assertNull(SchedulerEventSource.dueAt("at(2026-13-07T14:00:00)", "UTC"));
    assertNull(SchedulerEventSource.dueAt(null, "UTC"));
  }
}
