package io.telebridge.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.InMemoryAppointmentStates;
import io.telebridge.core.fromehr.ConflictPolicy;
import io.telebridge.core.fromehr.ReconcileAppointment;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PullContextTest {

  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  final AssembleContextTest.InMemoryChartReader reader = new AssembleContextTest.InMemoryChartReader();
  final InMemoryAppointmentStates states = new InMemoryAppointmentStates();
  final List<ContextOutcome> sent = new ArrayList<>();
  final List<Map<String, String>> deadLettered = new ArrayList<>();
  final List<PatientContext> cached = new ArrayList<>();
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final PullContext pull = pull(io.telebridge.core.switches.FlowGate.allOn());

  /** The pull on this test's chart, states, queue, cache and DLQ, behind the gate (the documents: their type). */
  PullContext pull(io.telebridge.core.switches.FlowGate gate) {
    return new PullContext(
        new AssembleContext((t, p) -> Optional.of(AssembleContextTest.MRN),
            t -> Optional.of(new ContextSources.Source(FhirProfile.withDefaults("urn:oid:1.2.3"), reader)), clock),
        states, sent::add, new ContextCache() {
          @Override
          public Optional<String> fresh(String tenant, String platformPatientId, Instant now) {
            return Optional.empty();
          }

          @Override
          public void put(PatientContext context) {
            cached.add(context);
          }
        }, (request, reason) -> deadLettered.add(reason), clock, gate, outcome -> outcome.eventType());
  }

  final ContextRequest request = new ContextRequest("demo-clinic", "pat-1", "apt-1");

  void chart() {
    reader.chart = AssembleContextTest.chart(List.of(), List.of(), List.of(), Section.complete(List.of()));
  }

  @Test
  void aScheduledPullSendsTheContextAndCachesIt() {
    chart();
    PullContext.Result r = pull.scheduled(request);
    ContextOutcome.Ready ready = assertInstanceOf(ContextOutcome.Ready.class, sent.getFirst());
    assertEquals(NOW.toEpochMilli(), ready.context().version());
    assertEquals("demo-clinic:pat-1", ready.groupId());
    assertEquals(List.of(ready.context()), cached);
    assertEquals(ready, r.outcome());
  }

  @Test
  void aScheduleFiringForACancelledAppointmentDoesNothing() {
    chart();
    new ReconcileAppointment(states, ConflictPolicy.ehrWins()).recordPlatformChange("demo-clinic", "apt-1", null,
        OffsetDateTime.parse("2026-12-07T11:00:00Z"), OffsetDateTime.parse("2026-12-07T11:30:00Z"), null, null,
        "cancelled", NOW);
    assertTrue(pull.scheduled(request).skipped());
    assertTrue(sent.isEmpty());
    assertTrue(reader.queries.isEmpty());
  }

  @Test
  void aFhirServerDownThroughTheRetriesIsDeadLetteredAndTheAppToldWhy() {
    reader.failure = new TransientException("FHIR batch: HTTP 503 after 4 attempts", null);
    pull.scheduled(request);
    assertEquals("fhir_unavailable", deadLettered.getFirst().get("reason"));
    ContextOutcome.Unavailable u = assertInstanceOf(ContextOutcome.Unavailable.class, sent.getFirst());
    assertEquals(Section.Unavailable.Reason.FHIR_UNAVAILABLE, u.reason());
    assertTrue(cached.isEmpty());
  }
}
