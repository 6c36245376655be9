package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.InMemoryShadowStore;
import io.telebridge.core.switches.ReportShadow;
import io.telebridge.core.switches.ShadowFields;
import io.telebridge.core.switches.ShadowMessage;
import io.telebridge.core.switches.ShadowReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Hl7ShadowFieldsTest {

  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  private final Hl7ShadowFields fields = new Hl7ShadowFields();

  private static String fixture(String name) throws IOException {
    return Files.readString(Samples.FIXTURES.resolve(name), StandardCharsets.UTF_8).replace("\r\n", "\r").replace('\n', '\r');
  }

  private static ShadowMessage message(ShadowMessage.Side side, String id, String body) {
    return new ShadowMessage("acme", side, Flow.SCHEDULING, "SIU^S12", id, T, body);
  }

  @Test
  void readsTheDocumentedSiuFieldsAndPairingKeys() throws IOException {
    ShadowFields.Fields f = fields.of(message(ShadowMessage.Side.TELEBRIDGE, "TB1",
        fixture("SIU_S12/appointment.booked.hl7")));
    assertEquals("S12", f.trigger());
    assertEquals(java.util.Set.of("placer:apt-3001"), f.appointmentIds());
    assertEquals(java.util.Set.of("pat-1001^TELEHEALTH"), f.patientIds());
    assertEquals("2025-11-20T19:30:00Z", f.compared().get("start"));
    assertEquals("2025-11-20T20:00:00Z", f.compared().get("end"));
    assertEquals("30 min", f.compared().get("duration"));
    assertEquals("TELE_NEW", f.compared().get("visitType"));
    assertEquals("booked", f.compared().get("status"));
    assertEquals("1555014202", f.compared().get("provider"));
    assertEquals("O'CONNELL-REYES^SEÁN", f.compared().get("patientName"));
    assertEquals("19840719", f.compared().get("birthDate"));
    assertEquals("M", f.compared().get("sex"));
    assertTrue(!f.toString().contains("REYES"), "no values in toString");
  }

  @Test
  void theStaffKeyedBookingPairsByPatientAndStartAndDiffersInTheVisitTypeOnly() throws IOException {
    InMemoryShadowStore store = new InMemoryShadowStore();
    store.keep(message(ShadowMessage.Side.TELEBRIDGE, "TB1", fixture("SIU_S12/appointment.booked.hl7")));
    store.keep(message(ShadowMessage.Side.EHR, "STAFF000301",
        fixture("inbound/shadow/siu-s12.keyed-by-staff.v251.hl7")));
    ShadowReport.FlowReport r = new ReportShadow(store, fields).report("acme", T.minusSeconds(60), T.plusSeconds(60))
        .flows().get(0);
    assertEquals(List.of(new ShadowReport.Pair("TB1", "STAFF000301", "patient+start", List.of("visitType"))), r.pairs());
    assertEquals(Map.of("visitType", 1), r.differingFields());
  }

  @Test
  void aJsonEventOrGarbageHasNoFields() {
    assertNull(fields.of(message(ShadowMessage.Side.TELEBRIDGE, "e1", "{\"eventId\":\"e1\"}")));
    assertNull(fields.of(message(ShadowMessage.Side.TELEBRIDGE, "e2", "MSH|garbage")));
  }
}
