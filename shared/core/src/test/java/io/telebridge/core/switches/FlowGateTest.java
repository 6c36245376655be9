package io.telebridge.core.switches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.journal.InMemoryJournal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.core.toehr.TranslateToEhr;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FlowGateTest {

  private final InMemoryFlowSwitches table = new InMemoryFlowSwitches();
  private final InMemoryShadowStore shadows = new InMemoryShadowStore();
  private final InMemoryJournal journal = new InMemoryJournal();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final FlowGate gate = new FlowGate(new CachedFlowSwitches(table, Duration.ofSeconds(60), clock), shadows,
      journal, clock);
  private final List<String> queued = new ArrayList<>();
  private final TranslateToEhr translate = new TranslateToEhr(
      request -> new Resolution(List.of(new Identifier(request.patient().platformPatientId(), "PLATFORM", "PI")), true),
      (event, patient) -> List.of(new OutboundMessage(event.eventId() + "-A04", "ADT^A04", "MSH|A04"),
          new OutboundMessage(event.eventId() + "-S12", "SIU^S12", "MSH|S12")),
      (group, eventId, message) -> queued.add(group.substring(0, group.indexOf(':')) + " " + message.messageType()), null, gate);

  private void set(String tenant, Flow flow, FlowMode mode) {
    table.set(new FlowSwitch(tenant, flow, mode, clock.instant(), "test"));
  }

  private static PlatformEvent booked(String tenant, String id) {
    return new PlatformEvent(id, EventType.APPOINTMENT_BOOKED, Instant.EPOCH, tenant,
        new PatientDemographics("pat-1", null, null, null, null, null, null, null), null, null, null, null, null);
  }

  @Test
  void aFlowNobodySwitchedIsOnAndSendsAsToday() {
    translate.translate(booked("acme", "evt-1"), "{}");
    assertEquals(List.of("acme ADT^A04", "acme SIU^S12"), queued);
    assertTrue(journal.all().isEmpty());
  }

  @Test
  void schedulingInShadowKeepsTheSiuJournalsItAndSendsOnlyTheRegistration() {
    set("acme", Flow.SCHEDULING, FlowMode.SHADOW);
    List<OutboundMessage> built = translate.translate(booked("acme", "evt-1"), "{}");

    assertEquals(2, built.size(), "both built: the journal links every MSH-10");
    assertEquals(List.of("acme ADT^A04"), queued);
    List<ShadowMessage> kept = shadows.kept("acme", ShadowMessage.Side.TELEBRIDGE, Instant.MIN, Instant.MAX);
    assertEquals(1, kept.size());
    assertEquals("evt-1-S12", kept.get(0).id());
    assertEquals("MSH|S12", kept.get(0).body());
    assertEquals(Flow.SCHEDULING, kept.get(0).flow());
    JournalEntry step = journal.entries("acme", "hl7:evt-1-S12").get(0);
    assertEquals(FlowGate.SHADOWED, step.outcome());
    assertEquals(null, step.waitsAt(), "held back: waits nowhere");
    assertFalse(kept.get(0).toString().contains("MSH|S12"), "the body is not in toString");
  }

  @Test
  void aBookingSchedulesItsContextPullOnlyWhileTheContextFlowIsOn() {
    List<String> scheduled = new ArrayList<>();
    io.telebridge.core.context.ContextSchedules schedules = new io.telebridge.core.context.ContextSchedules() {
      @Override
      public void put(io.telebridge.core.context.PullSchedule schedule) {
        scheduled.add(schedule.tenant() + " " + schedule.appointmentId());
      }

      @Override
      public void delete(String tenant, String appointmentId) {
        scheduled.add("deleted " + tenant + " " + appointmentId);
      }
    };
    TranslateToEhr withPulls = new TranslateToEhr(
        request -> new Resolution(List.of(new Identifier(request.patient().platformPatientId(), "PLATFORM", "PI")), true),
        (event, patient) -> List.of(), (group, eventId, message) -> { }, null, gate,
        new io.telebridge.core.context.ScheduleContextPull(schedules, tenant -> null, clock), null);
    set("acme", Flow.CONTEXT, FlowMode.OFF);
    withPulls.translate(bookedAt("acme", "evt-1", "apt-1"), "{}");
    withPulls.translate(bookedAt("north", "evt-2", "apt-2"), "{}");
    assertEquals(List.of("north apt-2"), scheduled, "acme's context flow is off: no pull scheduled for it");
  }

  private static PlatformEvent bookedAt(String tenant, String id, String appointmentId) {
    return new PlatformEvent(id, EventType.APPOINTMENT_BOOKED, Instant.EPOCH, tenant,
        new PatientDemographics("pat-1", null, null, null, null, null, null, null),
        new io.telebridge.core.model.Appointment(appointmentId, null,
            java.time.OffsetDateTime.parse("2026-12-08T10:00:00Z"), java.time.OffsetDateTime.parse("2026-12-08T10:30:00Z"),
            null, null, null, null, null, null), null, null, null, null);
  }

  @Test
  void offJournalsAndKeepsNothing() {
    set("acme", Flow.REGISTRATION, FlowMode.OFF);
    translate.translate(booked("acme", "evt-1"), "{}");
    assertEquals(List.of("acme SIU^S12"), queued);
    assertEquals(FlowGate.SWITCHED_OFF, journal.entries("acme", "hl7:evt-1-A04").get(0).outcome());
    assertTrue(shadows.kept("acme", ShadowMessage.Side.TELEBRIDGE, Instant.MIN, Instant.MAX).isEmpty());
  }

  @Test
  void oneTenantsSwitchDoesNotTouchAnothers() {
    set("acme", Flow.SCHEDULING, FlowMode.SHADOW);
    translate.translate(booked("north", "evt-2"), "{}");
    assertEquals(List.of("north ADT^A04", "north SIU^S12"), queued);
  }

  @Test
  void aChangeIsSeenOnceTheCacheExpiresAndNotBefore() {
    CachedFlowSwitches cached = new CachedFlowSwitches(table, Duration.ofSeconds(60), clock);
    assertEquals(FlowMode.ON, cached.mode("acme", Flow.SCHEDULING));
    set("acme", Flow.SCHEDULING, FlowMode.OFF);
    clock.advance(Duration.ofSeconds(59));
    assertEquals(FlowMode.ON, cached.mode("acme", Flow.SCHEDULING));
    assertEquals(1, table.reads());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(FlowMode.OFF, cached.mode("acme", Flow.SCHEDULING));
    assertEquals(2, table.reads());
  }

  @Test
  void anUnreadableTableWithNothingCachedFailsTheMessageRatherThanSendIt() {
    FlowSwitches down = new FlowSwitches() {
      @Override
      public List<FlowSwitch> of(String tenant) {
        throw new TransientException("down", null);
      }

      @Override
      public void set(FlowSwitch s) {}
    };
    CachedFlowSwitches cached = new CachedFlowSwitches(down, Duration.ofSeconds(60), clock);
    assertThrows(TransientException.class, () -> cached.mode("acme", Flow.SCHEDULING));
  }

  @Test
  void aHeldBackMessageIsCountedAsFlowHeldBackByMode() {
    java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
    io.telebridge.core.journal.GuardedJournal counted = new io.telebridge.core.journal.GuardedJournal(journal,
        new io.telebridge.core.fromehr.Metrics() {
          @Override
          public void count(String metric, long value, java.util.Map<String, String> properties) {}

          @Override
          public void countBy(String metric, long value, java.util.Map<String, String> dimensions) {
            seen.put(metric, dimensions.toString());
          }
        });
    set("acme", Flow.SCHEDULING, FlowMode.SHADOW);
    new FlowGate(new CachedFlowSwitches(table, Duration.ZERO, clock), shadows, counted, clock)
        .toEhr("acme", "S1", "SIU^S12", "MSH|");
    assertEquals("{Tenant=acme, Mode=shadowed}", seen.get("FlowHeldBack"));
    assertFalse(seen.containsKey("Hl7Queued"));
  }

  @Test
  void aCacheLongerThanAMinuteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CachedFlowSwitches(table, Duration.ofSeconds(61), clock));
  }

  @Test
  void theReturnPathHoldsBackByEventTypeAndTheEhrsMessagesAreKeptOnlyForAFlowInShadow() {
    set("acme", Flow.RESULTS, FlowMode.SHADOW);
    assertFalse(gate.toPlatform("acme", "evt-r1", "ehr.result.available", () -> "{}"));
    assertTrue(gate.toPlatform("acme", "evt-a1", "ehr.appointment.changed", () -> "{}"));
    assertEquals(FlowGate.SHADOWED, journal.entries("acme", "event:evt-r1").get(0).outcome());

    assertFalse(gate.observed("acme", "SIU1", "SIU^S12", "MSH|..."), "scheduling is on: nothing to compare");
    set("acme", Flow.SCHEDULING, FlowMode.SHADOW);
    clock.advance(Duration.ofSeconds(60));
    assertTrue(gate.observed("acme", "SIU1", "SIU^S12", "MSH|..."));
    assertEquals(1, shadows.kept("acme", ShadowMessage.Side.EHR, Instant.MIN, Instant.MAX).size());
  }

  @Test
  void flowsOfMessagesAndEvents() {
    assertEquals(Flow.REGISTRATION, Flow.ofHl7("ADT^A08"));
    assertEquals(Flow.ORDERS, Flow.ofHl7("OML^O21"));
    assertEquals(Flow.CHARGES, Flow.ofHl7("DFT^P03"));
    assertEquals(Flow.NOTE, Flow.ofHl7("MDM^T02"));
    assertEquals(Flow.DEMOGRAPHICS, Flow.ofPlatformEvent("ehr.patients.merged"));
    assertEquals(Flow.CONTEXT, Flow.ofPlatformEvent("patient.context.ready"));
    assertEquals(Flow.SCHEDULE_CHANGES, Flow.fromWire("Schedule-Changes"));
    assertThrows(IllegalArgumentException.class, () -> Flow.fromWire("billing"));
    assertThrows(IllegalArgumentException.class, () -> FlowMode.fromWire("maybe"));
  }

  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
