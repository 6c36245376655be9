package io.telebridge.core.switches;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportShadowTest {

  private final InMemoryShadowStore store = new InMemoryShadowStore();
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  /** Test fields: the body is "trigger;appointment;patient;start;status". */
  private final ShadowFields fields = m -> {
    String[] p = m.body().split(";", -1);
    return new ShadowFields.Fields(p[0], p[1].isEmpty() ? Set.of() : Set.of(p[1]), Set.of(p[2]),
        Map.of("start", p[3], "status", p[4]));
  };
  private final ReportShadow report = new ReportShadow(store, fields);

  private void ours(String id, String body, Instant at) {
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.TELEBRIDGE, Flow.SCHEDULING, "SIU^S12", id, at, body));
  }

  private void theirs(String id, String body, Instant at) {
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.EHR, Flow.SCHEDULING, "SIU^S12", id, at, body));
  }

  @Test
  void pairsByAppointmentThenByPatientAndStartAndCountsTheDifferingFields() {
    ours("TB1", "S12;placer:apt-1;pat-1;0900;Booked", T0);
    ours("TB2", "S12;;pat-2;1000;Booked", T0.plusSeconds(60));
    ours("TB3", "S12;;pat-3;1100;Booked", T0.plusSeconds(120)); // staff never keyed it
    theirs("EHR1", "S12;placer:apt-1;pat-1;0900;Booked", T0.plusSeconds(600));
    theirs("EHR2", "S12;;pat-2;1000;Pending", T0.plusSeconds(700));
    theirs("EHR9", "S12;;pat-9;1300;Booked", T0.plusSeconds(800)); // keyed by staff only

    ShadowReport r = report.report("acme", T0.minusSeconds(1), T0.plusSeconds(3600));

    assertEquals(1, r.flows().size());
    ShadowReport.FlowReport f = r.flows().get(0);
    assertEquals("scheduling", f.flow());
    assertEquals(3, f.shadowed());
    assertEquals(3, f.fromEhr());
    assertEquals(2, f.matched());
    assertEquals(1, f.agreed());
    assertEquals(1, f.unmatchedShadow());
    assertEquals(1, f.unmatchedEhr());
    assertEquals(Map.of("status", 1), f.differingFields());
    assertEquals(List.of(new ShadowReport.Pair("TB1", "EHR1", "appointment", List.of()),
        new ShadowReport.Pair("TB2", "EHR2", "patient+start", List.of("status"))), f.pairs());
    assertEquals(0.5, f.agreement());
  }

  @Test
  void neverPairsAcrossTriggersOrOutsideTheWindowOrTwice() {
    ours("TB1", "S12;;pat-1;0900;Booked", T0);
    theirs("EHR1", "S13;;pat-1;0900;Booked", T0.plusSeconds(60));
    theirs("EHR2", "S12;;pat-1;0900;Booked", T0.plus(ReportShadow.WINDOW).plusSeconds(1));
    ours("TB5", "S12;;pat-5;0900;Booked", T0);
    theirs("EHR5a", "S12;;pat-5;0900;Booked", T0.plusSeconds(10));
    theirs("EHR5b", "S12;;pat-5;0900;Booked", T0.plusSeconds(20));

    ShadowReport.FlowReport f = report.report("acme", T0, T0.plus(ReportShadow.WINDOW).plusSeconds(5)).flows().get(0);
    assertEquals(1, f.matched());
    assertEquals("EHR5a", f.pairs().get(0).ehrId());
    assertEquals(3, f.unmatchedEhr());
  }

  @Test
  void anotherTenantsMessagesAreNeverRead() {
    store.keep(new ShadowMessage("north", ShadowMessage.Side.TELEBRIDGE, Flow.SCHEDULING, "SIU^S12", "N1",
        T0, "S12;;pat-1;0900;Booked"));
    assertEquals(List.of(), report.report("acme", T0.minusSeconds(5), T0.plusSeconds(5)).flows());
  }
}
