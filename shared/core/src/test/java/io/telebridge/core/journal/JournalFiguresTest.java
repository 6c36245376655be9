package io.telebridge.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's figures from the journal: counts per period as the metrics derive them, and what waits where. */
class JournalFiguresTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private final InMemoryJournal journal = new InMemoryJournal();
  private final JournalFigures figures = new JournalFigures(journal, Clock.fixed(NOW, ZoneOffset.UTC));

  private void booking(String tenant, String eventId, Instant at, boolean translated, String ack) {
    journal.record(JournalEntry.event(tenant, eventId, Stage.INTAKE, "accepted", at).type("appointment.booked")
        .waitsAt("queue:intake"));
    if (translated) {
      journal.record(JournalEntry.event(tenant, eventId, Stage.TO_EHR_TRANSLATOR, "translated", at.plusSeconds(1))
          .links(List.of(JournalEntry.HL7 + eventId + "-siu")).waitsAt("queue:to-ehr"));
    }
    if (ack != null) {
      journal.record(JournalEntry.hl7(tenant, eventId + "-siu", Stage.MLLP_SENDER, ack, at.plusSeconds(2)));
    }
  }

  @Test
  void countsTheLastHourAndDayAsTheMetricsDeriveThemPerTenant() {
    booking("acme", "e1", NOW.minusSeconds(600), true, "AA");
    booking("acme", "e2", NOW.minusSeconds(7200), true, "AE");
    booking("acme", "old", NOW.minusSeconds(25 * 3600), true, "AA");
    booking("north", "n1", NOW.minusSeconds(60), true, "AA");

    JournalFigures.Figures f = figures.of("acme");
    assertEquals(1L, f.lastHour().get("BookingsPosted"));
    assertEquals(2L, f.lastDay().get("BookingsPosted"), "the 25-hour-old booking is outside the day");
    assertEquals(1L, f.lastHour().get("Hl7Acked"));
    assertEquals(1L, f.lastDay().get("Hl7Nacked"));
    assertNull(f.lastHour().get("Hl7Nacked"));
    assertEquals(2L, f.lastDay().get("Hl7Sent"));
    assertTrue(f.complete());
    assertEquals(6, f.steps());
  }

  @Test
  void theOldestQueuedIsTheOldestMessageNoLaterStepTookFurther() {
    booking("acme", "done", NOW.minusSeconds(3000), true, "AA");     // finished
    booking("acme", "onIntake", NOW.minusSeconds(2000), false, null); // waits on the intake queue
    booking("acme", "onToEhr", NOW.minusSeconds(1000), true, null);   // its SIU waits on the to-EHR queue
    booking("acme", "later", NOW.minusSeconds(500), false, null);
    journal.record(JournalEntry.event("acme", "flow", Stage.FLOW_SWITCH, "on->shadow", NOW.minusSeconds(10)));

    JournalFigures.Figures f = figures.of("acme");
    assertEquals(NOW.minusSeconds(2000), f.oldestQueued().get("intake"));
    assertEquals(NOW.minusSeconds(999), f.oldestQueued().get("to-ehr"), "queued when the translator queued it");
    assertFalse(f.oldestQueued().containsKey("from-ehr"));
    assertTrue(figures.of("north").oldestQueued().isEmpty(), "another tenant's journal is not read");
  }
}
