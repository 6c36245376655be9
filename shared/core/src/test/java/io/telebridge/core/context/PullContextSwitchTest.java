package io.telebridge.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.journal.InMemoryJournal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.switches.CachedFlowSwitches;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.core.switches.FlowMode;
import io.telebridge.core.switches.FlowSwitch;
import io.telebridge.core.switches.InMemoryFlowSwitches;
import io.telebridge.core.switches.InMemoryShadowStore;
import io.telebridge.core.switches.ShadowMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The context flow's switch: off, a pull does nothing but journal it; shadow, pulled and kept, not sent. */
class PullContextSwitchTest {

  final PullContextTest base = new PullContextTest();
  final InMemoryFlowSwitches switches = new InMemoryFlowSwitches();
  final InMemoryShadowStore shadows = new InMemoryShadowStore();
  final InMemoryJournal journal = new InMemoryJournal();
  final List<PatientContext> cached = base.cached;
  final PullContext pull = base.pull(
      new FlowGate(new CachedFlowSwitches(switches, Duration.ZERO, base.clock), shadows, journal, base.clock));

  void set(FlowMode mode) {
    switches.set(new FlowSwitch("demo-clinic", Flow.CONTEXT, mode, PullContextTest.NOW, "ops"));
  }

  @Test
  void offPullsNothingSendsNothingAndJournalsTheRequest() {
    base.chart();
    set(FlowMode.OFF);
    PullContext.Result r = pull.scheduled(base.request);
    assertEquals(FlowMode.OFF, r.heldBy());
    assertNull(r.outcome());
    assertFalse(r.sent());
    assertTrue(base.reader.queries.isEmpty(), "the FHIR server was not asked");
    assertTrue(base.sent.isEmpty() && cached.isEmpty());
    JournalEntry e = journal.all().getFirst();
    assertEquals("context", e.stage());
    assertEquals(FlowGate.SWITCHED_OFF, e.outcome());
    assertEquals(PullContext.PULL, e.type());
    assertEquals("apt-1", e.appointmentId());
    assertEquals("pat-1", e.platformPatientId());
    assertTrue(shadows.kept("demo-clinic", ShadowMessage.Side.TELEBRIDGE, Instant.EPOCH, Instant.MAX).isEmpty());
  }

  @Test
  void shadowPullsAndKeepsTheDocumentOutOfTheDeliveryAndTheCache() {
    base.chart();
    set(FlowMode.SHADOW);
    PullContext.Result r = pull.scheduled(base.request);
    assertEquals(FlowMode.SHADOW, r.heldBy());
    ContextOutcome.Ready ready = assertInstanceOf(ContextOutcome.Ready.class, r.outcome());
    assertFalse(base.reader.queries.isEmpty(), "the context was pulled");
    assertTrue(base.sent.isEmpty(), "nothing on the to-platform queue");
    assertTrue(cached.isEmpty(), "the cache serves the platform: not cached");
    List<ShadowMessage> kept = shadows.kept("demo-clinic", ShadowMessage.Side.TELEBRIDGE, Instant.EPOCH, Instant.MAX);
    assertEquals(1, kept.size());
    assertEquals(ready.eventId(), kept.getFirst().id());
    assertEquals(Flow.CONTEXT, kept.getFirst().flow());
    JournalEntry e = journal.all().getFirst();
    assertEquals(JournalEntry.EVENT + ready.eventId(), e.subject());
    assertEquals(FlowGate.SHADOWED, e.outcome());
    assertEquals("pat-1", e.platformPatientId(), "a trace by the patient finds it");
    assertEquals("context", e.stage());
  }

  @Test
  void onSendsAsBefore() {
    base.chart();
    set(FlowMode.ON);
    PullContext.Result r = pull.scheduled(base.request);
    assertTrue(r.sent());
    assertEquals(1, base.sent.size());
    assertEquals(1, cached.size());
    assertTrue(journal.all().isEmpty());
  }
}
