package io.telebridge.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.fromehr.Metrics;
import io.telebridge.core.intake.IntakeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceMessageTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private final InMemoryJournal journal = new InMemoryJournal();
  private final TraceMessage trace = new TraceMessage(journal);

  private void booking(String tenant, String eventId, String... controlIds) {
    journal.record(JournalSteps.intake(new IntakeResult.Accepted(eventId, "appointment.booked", false, tenant, "pat-1"),
        T0));
    List<String> links = new ArrayList<>();
    for (String c : controlIds) {
      links.add(JournalEntry.HL7 + c);
    }
    journal.record(JournalEntry.event(tenant, eventId, Stage.TO_EHR_TRANSLATOR, "translated", T0.plusSeconds(1))
        .links(links).waitsAt("queue:to-ehr").about("appt-1", "pat-1"));
  }

  @Test
  void aBookingTracedByItsEventIdShowsEveryStepInTimeOrderAndWaitsOnTheToEhrQueueUntilSent() {
    booking("acme", "evt-1", "ADT1", "SIU1");
    journal.record(JournalEntry.hl7("acme", "ADT1", Stage.MLLP_SENDER, "AA", T0.plusSeconds(2))
        .links(List.of("event:evt-1")));

    Trace t = trace.trace("acme", "evt-1");

    assertEquals(List.of("intake", "to-ehr-translator", "mllp-sender"), t.steps().stream().map(JournalEntry::stage).toList());
    assertEquals(List.of(new Trace.Position("hl7:SIU1", "queue:to-ehr")), t.waiting());
  }

  @Test
  void anMsh10AnAppointmentIdAndAPatientIdEachFindTheWholeBooking() {
    booking("acme", "evt-2", "SIU2");
    journal.record(JournalEntry.hl7("acme", "SIU2", Stage.MLLP_SENDER, "AA", T0.plusSeconds(2))
        .links(List.of("event:evt-2")));
    for (String id : List.of("SIU2", "appt-1", "pat-1")) {
      Trace t = trace.trace("acme", id);
      assertEquals(3, t.steps().size(), id);
      assertTrue(t.waiting().isEmpty(), id + ": everything is done");
    }
  }

  @Test
  void aNackWaitsForItsRetryAndThenShowsTheDeadLetterQueue() {
    booking("acme", "evt-3", "SIU3");
    journal.record(JournalEntry.hl7("acme", "SIU3", Stage.MLLP_SENDER, "AE", T0.plusSeconds(2))
        .waitsAt("retry-at:2026-12-07T10:00:03Z").links(List.of("event:evt-3")));
    assertEquals("retry-at:2026-12-07T10:00:03Z", trace.trace("acme", "evt-3").waiting().get(0).where());

    journal.record(JournalEntry.hl7("acme", "SIU3", Stage.MLLP_SENDER, "AE", T0.plusSeconds(4))
        .error("nack-retries-exhausted", "207").waitsAt("dlq:to-ehr").links(List.of("event:evt-3")));
    assertEquals(List.of(new Trace.Position("hl7:SIU3", "dlq:to-ehr")), trace.trace("acme", "evt-3").waiting());
  }

  @Test
  void anotherTenantsIdsAreNotFound() {
    booking("acme", "evt-4", "SIU4");
    assertFalse(trace.trace("other", "evt-4").found());
    assertFalse(trace.trace("other", "appt-1").found());
    assertFalse(trace.trace("other", "SIU4").found());
  }

  @Test
  void aJournalOutageNeverReachesTheStageAndIsCounted() {
    List<String> counted = new ArrayList<>();
    Metrics metrics = (metric, value, properties) -> counted.add(metric);
    GuardedJournal guarded = new GuardedJournal(entry -> {
      throw new IllegalStateException("table down");
    }, metrics);

    guarded.record(JournalEntry.hl7("acme", "SIU5", Stage.MLLP_SENDER, "AE", T0));
    guarded.record(null);

    assertEquals(1, guarded.failures());
    assertTrue(counted.contains(GuardedJournal.JournalMetrics.JOURNAL_WRITE_FAILURES));
    assertTrue(counted.containsAll(List.of("Hl7Sent", "Hl7Nacked")), "the step's metrics are still counted: " + counted);
  }

  @Test
  void anAcceptedBookingCountsAsABookingPostedForItsTenant() {
    List<String> lines = new ArrayList<>();
    Metrics metrics = new Metrics() {
      @Override
      public void count(String metric, long value, Map<String, String> properties) {
        lines.add(metric + properties);
      }
    };
    new GuardedJournal(Journal.NONE, metrics).record(JournalSteps.intake(
        new IntakeResult.Accepted("evt-6", "appointment.booked", false, "acme", "pat-6"), T0));
    assertEquals(List.of("WebhooksAccepted{Tenant=acme}", "BookingsPosted{Tenant=acme}"), lines);
  }
}
