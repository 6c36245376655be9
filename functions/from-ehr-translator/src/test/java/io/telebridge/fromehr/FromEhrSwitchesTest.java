package io.telebridge.fromehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.fromehr.ConflictPolicy;
import io.telebridge.core.fromehr.OutboundEvent;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.fromehr.TranslateFromEhr;
import io.telebridge.core.journal.InMemoryJournal;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.switches.CachedFlowSwitches;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.core.switches.FlowMode;
import io.telebridge.core.switches.FlowSwitch;
import io.telebridge.core.switches.InMemoryFlowSwitches;
import io.telebridge.core.switches.InMemoryShadowStore;
import io.telebridge.core.switches.ShadowMessage;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.json.OutboundEventWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The return path's switches: the platform-bound events held back, and the EHR's messages kept for a flow in shadow. */
class FromEhrSwitchesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-24T16:00:00Z"), ZoneOffset.UTC);
  private final InMemoryFlowSwitches table = new InMemoryFlowSwitches();
  private final InMemoryShadowStore shadows = new InMemoryShadowStore();
  private final InMemoryJournal journal = new InMemoryJournal();
  private final FlowGate gate = new FlowGate(new CachedFlowSwitches(table, Duration.ZERO, CLOCK), shadows, journal, CLOCK);
  private final List<OutboundEvent> sent = new ArrayList<>();

  private FromEhrTranslatorHandler handler() {
    FromEhrReader reader = new FromEhrReader("TELEHEALTH", ZoneId.of("America/Chicago"));
    TranslateFromEhr translate = new TranslateFromEhr("demo-clinic",
        new Fakes.Index().link(new Identifier("100234", "EPI", "MR"), "pat-1001"),
        new ReconcileAppointment(new Fakes.States(), ConflictPolicy.ehrWins()),
        FromEhrTranslatorHandler.switched(sent::add, new OutboundEventWriter(), gate), (m, v, p) -> { }, CLOCK);
    FromEhrTranslatorHandler.Route route = new FromEhrTranslatorHandler.Route("demo-clinic", reader, translate);
    return new FromEhrTranslatorHandler(reader, facility -> Optional.of(route), (message, reason, errorClass) -> {
      throw new AssertionError("dead-lettered: " + reason);
    }).withJournal(journal).withGate(gate);
  }

  private static SqsEvent batch(String type, String body) {
    return SqsEvent.of(SqsMessage.of("m1", body, Map.of("MessageGroupId", "100234")).withMessageAttribute("messageType", type));
  }

  private void set(Flow flow, FlowMode mode) {
    table.set(new FlowSwitch("demo-clinic", flow, mode, CLOCK.instant(), "test"));
  }

  @Test
  void resultsInShadowAreKeptAsTheJsonThePlatformWouldGetAndNotQueued() {
    set(Flow.RESULTS, FlowMode.SHADOW);
    handler().handle(batch("ORU^R01", FromEhrTranslatorHandlerTest.fixture("oru-r01.v251.epic-like.hl7")), null);
    assertTrue(sent.isEmpty(), "nothing queued for the platform");
    List<ShadowMessage> kept = shadows.kept("demo-clinic", ShadowMessage.Side.TELEBRIDGE, Instant.MIN, Instant.MAX);
    assertEquals(1, kept.size());
    assertEquals("ehr.result.available", kept.get(0).type());
    assertTrue(kept.get(0).body().startsWith("{") && kept.get(0).body().contains("pat-1001"), "the event's JSON");
    assertTrue(journal.all().stream().anyMatch(e -> e.outcome().equals(FlowGate.SHADOWED)));
  }

  @Test
  void scheduleChangesOffAreJournaledAndTheOtherFlowsStillGo() {
    set(Flow.SCHEDULE_CHANGES, FlowMode.OFF);
    handler().handle(batch("SIU^S13", FromEhrTranslatorHandlerTest.fixture("siu-s13.v251.hl7")), null);
    handler().handle(batch("ORU^R01", FromEhrTranslatorHandlerTest.fixture("oru-r01.v251.epic-like.hl7")), null);
    assertEquals(List.of("ehr.result.available"), sent.stream().map(e -> e.type().wireName()).toList());
    assertTrue(journal.all().stream().anyMatch(e -> e.outcome().equals(FlowGate.SWITCHED_OFF)));
    assertTrue(shadows.kept("demo-clinic", ShadowMessage.Side.TELEBRIDGE, Instant.MIN, Instant.MAX).isEmpty());
  }

  @Test
  void theEhrsSiuIsKeptForTheComparisonOnlyWhileSchedulingIsInShadow() {
    handler().handle(batch("SIU^S12", FromEhrTranslatorHandlerTest.fixture("siu-s12.v251.hl7")), null);
    assertTrue(shadows.kept("demo-clinic", ShadowMessage.Side.EHR, Instant.MIN, Instant.MAX).isEmpty());
    set(Flow.SCHEDULING, FlowMode.SHADOW);
    handler().handle(batch("SIU^S12", FromEhrTranslatorHandlerTest.fixture("siu-s12.v251.hl7")), null);
    List<ShadowMessage> kept = shadows.kept("demo-clinic", ShadowMessage.Side.EHR, Instant.MIN, Instant.MAX);
    assertEquals(1, kept.size());
    assertEquals("SIU000301", kept.get(0).id());
    assertEquals(2, sent.size(), "the EHR's schedule change still goes to the platform (its own flow is on)");
  }
}
