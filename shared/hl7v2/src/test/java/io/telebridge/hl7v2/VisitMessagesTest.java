package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import io.telebridge.core.model.Coding;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitCharge;
import io.telebridge.core.model.VisitOrder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mapping details of the visit messages (MDM, ORM/OML, DFT); the whole messages are in the golden files. */
class VisitMessagesTest {

  private static EhrProfile epicLike(String from, String to) throws IOException {
    String yaml;
    try (InputStream in = EhrProfile.class.getClassLoader().getResourceAsStream("ehr-profiles/generic-epic-like.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(yaml.contains(from), "the bundled profile has: " + from);
    return EhrProfile.read(new ByteArrayInputStream(yaml.replace(from, to).getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  private static List<OutboundHl7> translate(String sample, EhrProfile profile) {
    return translate(Samples.event(sample), profile, false);
  }

  private static List<OutboundHl7> translate(PlatformEvent event, EhrProfile profile, boolean isNew) {
    var pid3 = isNew ? Samples.newPatient(profile, event) : Samples.knownPatient(profile, event);
    return new VisitMessages(profile, "prod", Samples.CLOCK).forEvent(event, pid3, isNew);
  }

  private static Terser read(OutboundHl7 message) throws Exception {
    Message parsed = StrictHl7.parser().parse(message.payload());
    return new Terser(parsed);
  }

  private static PlatformEvent withVisit(PlatformEvent e, Visit visit) {
    return new PlatformEvent(e.eventId(), e.type(), e.occurredAt(), e.tenant(), e.patient(), e.appointment(),
        e.previousStart(), e.previousEnd(), e.cancelledBy(), e.cancellationReason(), visit);
  }

  private static PlatformEvent withCharges(List<VisitCharge> charges) {
    PlatformEvent e = Samples.event("visit.charges_posted.json");
    return withVisit(e, new Visit(e.visit().id(), e.visit().appointmentId(), null, null, charges));
  }

  private static VisitCharge charge(String id, List<String> modifiers, List<String> icd10, String pos) {
    VisitCharge c = Samples.event("visit.charges_posted.json").visit().charges().get(0);
    return new VisitCharge(id, c.cpt(), modifiers, icd10, c.units(), c.serviceDate(), pos, c.performer(), null, false);
  }

  // ------------------------------------------------------------------ notes

  @Test
  void aNoteGoesAsOneTxObxPerLineInOrder() throws Exception {
    List<OutboundHl7> out = translate("visit.note_signed.json", Samples.EPIC_LIKE);
    assertEquals(1, out.size());
    Terser t = read(out.get(0));
    String[] lines = Samples.event("visit.note_signed.json").visit().note().content().split("\n");
    assertEquals(5, lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertEquals(Integer.toString(i + 1), t.get("/OBSERVATION(" + i + ")/OBX-1"));
      assertEquals("TX", t.get("/OBSERVATION(" + i + ")/OBX-2"));
      assertEquals(lines[i], t.get("/OBSERVATION(" + i + ")/OBX-5"));
      assertEquals("F", t.get("/OBSERVATION(" + i + ")/OBX-11"));
    }
    assertEquals(5, ((ca.uhn.hl7v2.model.v251.message.MDM_T02) t.getSegment("/MSH").getMessage()).getOBSERVATIONReps());
  }

  @Test
  void everyHl7DelimiterInTheNoteIsEscapedOnTheWireAndReadsBackAsWritten() throws Exception {
    OutboundHl7 mdm = translate("edge/visit.note_signed.escaping.json", Samples.EPIC_LIKE).get(0);
    String obx1 = mdm.payload().split("\r")[5];
    assertTrue(obx1.startsWith("OBX|1|TX|"), obx1);
    assertTrue(obx1.contains("delimiter: \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ and an escape-like C:\\E\\X1\\E\\ path."), obx1);
    Terser t = read(mdm);
    assertEquals("Line one with every delimiter: | ^ & ~ \\ and an escape-like C:\\X1\\ path.", t.get("/OBSERVATION(0)/OBX-5"));
    assertEquals(null, t.get("/OBSERVATION(1)/OBX-5"), "the blank line stays as an empty OBX");
    assertEquals("After a blank line (CRLF), then\ta tab.", t.get("/OBSERVATION(2)/OBX-5"));
    assertEquals("Progress note | A^B & C ~ D \\ E", Samples.event("edge/visit.note_signed.escaping.json").visit().note().title());
  }

  @Test
  void anFtProfileSendsTheWholeNoteInOneObxWithLineBreaks() throws Exception {
    EhrProfile ft = epicLike("  format: TX ", "  format: FT ");
    OutboundHl7 mdm = translate("visit.note_signed.json", ft).get(0);
    Terser t = read(mdm);
    assertEquals("FT", t.get("/TXA-3"));
    assertEquals("FT", t.get("/OBSERVATION(0)/OBX-2"));
    assertTrue(mdm.payload().contains("Synthetic note for testing.\\.br\\S: Headaches"), "lines joined with \\.br\\");
    assertEquals(1, mdm.payload().split("\rOBX\\|").length - 1, "one OBX");
  }

  @Test
  void aLongFtNoteIsSplitAtLineBreaksIntoObxOfAtMost32000CharactersThatReadBackAsTheText() throws Exception {
    EhrProfile ft = epicLike("  format: TX ", "  format: FT ");
    PlatformEvent e = Samples.event("visit.note_signed.json");
    var n = e.visit().note();
    String text = (n.content() + "\n").repeat(600) + "x".repeat(70_000); // ≈ 113 kB, and one line longer than two OBX
    var big = new io.telebridge.core.model.VisitNote(n.id(), n.type(), n.title(), n.contentType(), text, null, n.signedAt(),
        n.author(), n.status(), 1);
    OutboundHl7 mdm = translate(withVisit(e, new Visit("vis-2001", null, big, null, null)), ft, false).get(0);
    var parsed = (ca.uhn.hl7v2.model.v251.message.MDM_T02) StrictHl7.parser().parse(mdm.payload());
    StringBuilder back = new StringBuilder();
    for (int i = 0; i < parsed.getOBSERVATIONReps(); i++) {
      String value = parsed.getOBSERVATION(i).getOBX().getObservationValue(0).getData().encode();
      String decoded = new StrictEscaping().unescape(value, ca.uhn.hl7v2.parser.EncodingCharacters.defaultInstance());
      assertTrue(decoded.length() <= MdmMessages.FT_MAX, "OBX " + (i + 1) + " has " + decoded.length());
      back.append(back.isEmpty() ? "" : "\n").append(decoded);
    }
    assertTrue(parsed.getOBSERVATIONReps() >= 5);
    assertEquals(text.strip(), back.toString().replace("x\nx", "xx"), "the text, with breaks only where a line was cut");
  }

  @Test
  void aPdfNoteIsOneEdObxWithTheBase64AsSent() throws Exception {
    PlatformEvent event = Samples.event("edge/visit.note_signed.pdf.json");
    Terser t = read(translate(event, Samples.EPIC_LIKE, false).get(0));
    assertEquals("AP", t.get("/TXA-3"));
    assertEquals("AVS", t.get("/TXA-2"), "after_visit_summary mapped by documents.types");
    assertEquals("ED", t.get("/OBSERVATION(0)/OBX-2"));
    assertEquals("AP", t.get("/OBSERVATION(0)/OBX-5-2"));
    assertEquals("PDF", t.get("/OBSERVATION(0)/OBX-5-3"));
    assertEquals("Base64", t.get("/OBSERVATION(0)/OBX-5-4"));
    String data = t.get("/OBSERVATION(0)/OBX-5-5");
    assertEquals(event.visit().note().content(), data);
    assertTrue(new String(Base64.getDecoder().decode(data), StandardCharsets.ISO_8859_1).startsWith("%PDF-1.4"));
  }

  @Test
  void aTextNoteWithAPdfRenditionHasTheTextLinesThenTheEdObx() throws Exception {
    Terser t = read(translate("edge/visit.note_signed.escaping.json", Samples.EPIC_LIKE).get(0));
    assertEquals("TX", t.get("/TXA-3"));
    assertEquals("TX", t.get("/OBSERVATION(3)/OBX-2"));
    assertEquals("ED", t.get("/OBSERVATION(4)/OBX-2"));
    assertEquals("5", t.get("/OBSERVATION(4)/OBX-1"));
  }

  @Test
  void anAmendmentIsT08WithTheSameDocumentNumberOrT10ReplacingTheParent() throws Exception {
    Terser t08 = read(translate("edge/visit.note_signed.amended.json", Samples.EPIC_LIKE).get(0));
    assertEquals("T08", t08.get("/MSH-9-2"));
    assertEquals("MDM_T02", t08.get("/MSH-9-3"));
    assertEquals("note-4001", t08.get("/TXA-12-1"));
    assertEquals(null, t08.get("/TXA-13-1"));
    assertEquals("C", t08.get("/OBSERVATION(0)/OBX-11"), "corrected");
    assertEquals("20251122090520-0500", t08.get("/TXA-8"), "edit time = signed at");

    Terser t10 = read(translate("edge/visit.note_signed.amended.json", epicLike("  amendment: T08 ", "  amendment: T10 ")).get(0));
    assertEquals("T10", t10.get("/MSH-9-2"));
    assertEquals("note-4001-v2", t10.get("/TXA-12-1"));
    assertEquals("note-4001", t10.get("/TXA-13-1"));
  }

  @Test
  void aRetractionIsT11WithoutContentAndTheDocumentCancelled() throws Exception {
    OutboundHl7 t11 = translate("edge/visit.note_signed.retracted.json", Samples.EPIC_LIKE).get(0);
    assertEquals("MDM^T11", t11.messageType());
    Terser t = read(t11);
    assertEquals("MDM_T01", t.get("/MSH-9-3"));
    assertEquals("CA", t.get("/TXA-19"));
    assertEquals("note-4001", t.get("/TXA-12-1"));
    assertFalse(t11.payload().contains("\rOBX|"));
  }

  @Test
  void theAuthorAuthenticatesWithEhrIdAndNpiAtTheSigningTime() throws Exception {
    Terser t = read(translate("visit.note_signed.json", Samples.EPIC_LIKE).get(0));
    assertEquals("E10501", t.get("/TXA-22(0)-1"));
    assertEquals("1555014202", t.get("/TXA-22(1)-1"));
    assertEquals("NPI", t.get("/TXA-22(1)-13"));
    assertEquals("20251121154011-0500", t.get("/TXA-22(0)-15"));
    assertEquals("AU", t.get("/TXA-17"));
    assertEquals("PR", t.get("/TXA-2"));
  }

  @Test
  void anUnmappedNoteTypeOrAuthorIsRefusedWithTheReason() {
    PlatformEvent e = Samples.event("visit.note_signed.json");
    var n = e.visit().note();
    var other = new io.telebridge.core.model.VisitNote(n.id(), "discharge_letter", n.title(), n.contentType(), n.content(), null,
        n.signedAt(), n.author(), n.status(), 1);
    var refused = assertThrows(UntranslatableEventException.class,
        () -> translate(withVisit(e, new Visit("vis-2001", null, other, null, null)), Samples.EPIC_LIKE, false));
    assertTrue(refused.getMessage().contains("note type discharge_letter is not mapped"), refused.getMessage());
    var stranger = new io.telebridge.core.model.VisitNote(n.id(), n.type(), n.title(), n.contentType(), n.content(), null,
        n.signedAt(), new io.telebridge.core.model.Provider("prov-999", "1555014202", null), n.status(), 1);
    refused = assertThrows(UntranslatableEventException.class,
        () -> translate(withVisit(e, new Visit("vis-2001", null, stranger, null, null)), Samples.EPIC_LIKE, false));
    assertTrue(refused.getMessage().contains("provider prov-999 is not mapped"), refused.getMessage());
    assertFalse(refused.getMessage().contains("Synthetic"), "no note text in the reason");
  }

  @Test
  void aPatientWithoutAChartIsRegisteredBeforeTheNote() {
    PlatformEvent booking = Samples.event("appointment.booked.json");
    PlatformEvent note = Samples.event("visit.note_signed.json");
    PatientDemographics withDemographics = booking.patient();
    PlatformEvent event = new PlatformEvent(note.eventId(), note.type(), note.occurredAt(), note.tenant(), withDemographics,
        null, null, null, null, null, note.visit());
    List<OutboundHl7> out = translate(event, Samples.EPIC_LIKE, true);
    assertEquals(List.of("ADT^A04", "MDM^T02"), out.stream().map(OutboundHl7::messageType).toList());
    assertNotEquals(out.get(0).controlId(), out.get(1).controlId());
    assertThrows(UntranslatableEventException.class, () -> translate(note, Samples.EPIC_LIKE, true),
        "a new patient without demographics cannot be registered");
  }

  // ------------------------------------------------------------------ orders

  @Test
  void anUnmappedOrderCodeIsRefusedWithTheOrderAndTheCodeAndNothingIsBuilt() {
    PlatformEvent e = Samples.event("visit.orders_placed.json");
    VisitOrder o = e.visit().orders().get(1);
    VisitOrder unmapped = new VisitOrder(o.id(), o.category(), new Coding("http://loinc.org", "99999-9", "Unknown"),
        o.priority(), o.instructions(), o.orderedAt(), o.orderer(), o.diagnoses(), false);
    PlatformEvent event = withVisit(e, new Visit("vis-2001", null, null, List.of(e.visit().orders().get(0), unmapped), null));
    var refused = assertThrows(UntranslatableEventException.class, () -> translate(event, Samples.EPIC_LIKE, false));
    assertEquals("event evt-0008-orders-placed: order ord-5002 code http://loinc.org|99999-9 is not mapped in EHR profile "
        + "generic-epic-like (orders.codes, orders.passThrough)", refused.getMessage());
    // the community profile passes LOINC through unchanged
    List<OutboundHl7> out = translate(event, Samples.COMMUNITY, false);
    assertEquals(2, out.size());
  }

  @Test
  void aMedicationOrderIsRefusedRatherThanSentAsAGeneralOrder() {
    PlatformEvent e = Samples.event("visit.orders_placed.json");
    VisitOrder o = e.visit().orders().get(0);
    VisitOrder med = new VisitOrder(o.id(), "medication", o.code(), o.priority(), null, null, o.orderer(), List.of(), false);
    var refused = assertThrows(UntranslatableEventException.class,
        () -> translate(withVisit(e, new Visit("vis-2001", null, null, List.of(med), null)), Samples.EPIC_LIKE, false));
    assertTrue(refused.getMessage().contains("medication order"), refused.getMessage());
  }

  @Test
  void ordersCarryPlacerNumberMappedCodePriorityInstructionsAndRankedDiagnoses() throws Exception {
    Terser t = read(translate("visit.orders_placed.json", Samples.EPIC_LIKE).get(0));
    assertEquals("NW", t.get("/ORDER(1)/ORC-1"));
    assertEquals("ord-5002", t.get("/ORDER(1)/ORC-2-1"));
    assertEquals("LAB2045", t.get("/ORDER(1)/ORDER_DETAIL/OBR-4-1"));
    assertEquals("R", t.get("/ORDER(1)/ORC-7-6"));
    assertEquals("Fast for 9 to 12 hours before the draw.", t.get("/ORDER(1)/ORDER_DETAIL/NTE-3"));
    assertEquals("G44.209", t.get("/ORDER(1)/ORDER_DETAIL/DG1(0)-3-1"));
    assertEquals("1", t.get("/ORDER(1)/ORDER_DETAIL/DG1(0)-15"));
    assertEquals("R51.9", t.get("/ORDER(1)/ORDER_DETAIL/DG1(1)-3-1"));
    assertEquals("2", t.get("/ORDER(1)/ORDER_DETAIL/DG1(1)-15"));
    assertEquals("1555014202", t.get("/ORDER(0)/ORC-12(1)-1"));
  }

  @Test
  void aCancelledOrderIsOrcCa() throws Exception {
    Terser t = read(translate("edge/visit.orders_placed.cancelled.json", Samples.EPIC_LIKE).get(0));
    assertEquals("CA", t.get("/ORDER/ORC-1"));
    assertEquals("ord-5002", t.get("/ORDER/ORC-2-1"));
  }

  @Test
  void anOmlProfileSendsOneOml021PerOrderWithItsOwnControlIdAndTq1Priority() throws Exception {
    PlatformEvent e = Samples.event("visit.orders_placed.json");
    List<OutboundHl7> out = translate(e, Samples.COMMUNITY, false);
    assertEquals(List.of("OML^O21", "OML^O21"), out.stream().map(OutboundHl7::messageType).toList());
    assertEquals(List.of(MessageKind.OML_O21, MessageKind.OML_O21),
        new VisitMessages(Samples.COMMUNITY, "prod", Samples.CLOCK).plan(e, false));
    assertEquals(ControlIds.of("demo-clinic", e.eventId(), "OML^O21/ord-5001"), out.get(0).controlId());
    assertEquals(ControlIds.of("demo-clinic", e.eventId(), "OML^O21/ord-5002"), out.get(1).controlId());
    Terser t = read(out.get(1));
    assertEquals("ord-5002", t.get("/ORDER/ORC-2-1"));
    assertEquals("R", t.get("/ORDER/TIMING/TQ1-9-1"));
    assertEquals("2093-3", t.get("/ORDER/OBSERVATION_REQUEST/OBR-4-1"));
    assertEquals("LN", t.get("/ORDER/OBSERVATION_REQUEST/OBR-4-3"));
  }

  // ------------------------------------------------------------------ charges

  @Test
  void modifiersGoInOrderWith95AndTheProfilesTelehealthModifierIsAddedWhenMissing() throws Exception {
    Terser plain = read(translate(withCharges(List.of(charge("chg-1", List.of("25", "95"), List.of("R51.9"), "10"))),
        Samples.EPIC_LIKE, false).get(0));
    assertEquals("25", plain.get("/FINANCIAL/FT1-26(0)-1"));
    assertEquals("95", plain.get("/FINANCIAL/FT1-26(1)-1"));

    EhrProfile adds95 = epicLike("  # telehealthModifier: \"95\"", "  telehealthModifier: \"95\"");
    Terser added = read(translate(withCharges(List.of(charge("chg-1", List.of("25"), List.of("R51.9"), "10"))),
        adds95, false).get(0));
    assertEquals("25", added.get("/FINANCIAL/FT1-26(0)-1"));
    assertEquals("95", added.get("/FINANCIAL/FT1-26(1)-1"));
    Terser notTwice = read(translate(withCharges(List.of(charge("chg-1", List.of("95"), List.of("R51.9"), "10"))),
        adds95, false).get(0));
    assertEquals(null, notTwice.get("/FINANCIAL/FT1-26(1)-1"));

    var full = assertThrows(UntranslatableEventException.class, () -> translate(
        withCharges(List.of(charge("chg-1", List.of("25", "59", "76", "77"), List.of("R51.9"), "10"))), adds95, false));
    assertTrue(full.getMessage().contains("no room for the profile's telehealth modifier 95"), full.getMessage());
  }

  @Test
  void diagnosesGoAsDg1InRankOrderAcrossCharges() throws Exception {
    PlatformEvent event = withCharges(List.of(
        charge("chg-1", List.of("95"), List.of("G44.209", "R51.9"), "10"),
        charge("chg-2", List.of("95"), List.of("Z71.3", "G44.209"), "10")));
    Terser t = read(translate(event, Samples.EPIC_LIKE, false).get(0));
    assertEquals(List.of("G44.209", "R51.9", "Z71.3"), List.of(t.get("/DG1(0)-3-1"), t.get("/DG1(1)-3-1"), t.get("/DG1(2)-3-1")));
    assertEquals(List.of("1", "2", "3"), List.of(t.get("/DG1(0)-15"), t.get("/DG1(1)-15"), t.get("/DG1(2)-15")));
    assertEquals("I10", t.get("/DG1(0)-3-3"));
    assertEquals("F", t.get("/DG1(0)-6"));
    assertEquals("Z71.3", t.get("/FINANCIAL(1)/FT1-19(0)-1"), "each line keeps its own codes in its order");
    assertEquals("G44.209", t.get("/FINANCIAL(1)/FT1-19(1)-1"));
    assertEquals("chg-2", t.get("/FINANCIAL(1)/FT1-2"));
  }

  @Test
  void aReversalIsACreditOrNegativeUnitsPerProfile() throws Exception {
    Terser credit = read(translate("edge/visit.charges_posted.reversal.json", Samples.EPIC_LIKE).get(0));
    assertEquals("CD", credit.get("/FINANCIAL/FT1-6"));
    assertEquals("1", credit.get("/FINANCIAL/FT1-10"));
    assertEquals("chg-6001", credit.get("/FINANCIAL/FT1-2"));
    Terser negative = read(translate("edge/visit.charges_posted.reversal.json", Samples.COMMUNITY).get(0));
    assertEquals("CG", negative.get("/FINANCIAL/FT1-6"));
    assertEquals("-1", negative.get("/FINANCIAL/FT1-10"));
  }

  @Test
  void placeOfServiceIsMappedByTheProfileAndAnUnmappedOneRefused() throws Exception {
    Terser home = read(translate("visit.charges_posted.json", Samples.EPIC_LIKE).get(0));
    assertEquals("10", home.get("/FINANCIAL/FT1-16-1"));
    Terser mapped = read(translate("visit.charges_posted.json", Samples.COMMUNITY).get(0));
    assertEquals("02", mapped.get("/FINANCIAL/FT1-16-1"), "this EHR's payers want 02 for every telehealth visit");
    var refused = assertThrows(UntranslatableEventException.class,
        () -> translate(withCharges(List.of(charge("chg-1", List.of("95"), List.of("R51.9"), "11"))), Samples.EPIC_LIKE, false));
    assertTrue(refused.getMessage().contains("place of service 11 is not mapped"), refused.getMessage());
  }

  @Test
  void theEncounterIsPv1WithTheVisitNumberAndTheAttending() throws Exception {
    Terser t = read(translate("visit.charges_posted.json", Samples.EPIC_LIKE).get(0));
    assertEquals("O", t.get("/PV1-2"));
    assertEquals("TELEHEALTH", t.get("/PV1-3-1"));
    assertEquals("vis-2001", t.get("/PV1-19-1"));
    assertEquals("TELEHEALTH", t.get("/PV1-19-4"));
    assertEquals("VN", t.get("/PV1-19-5"));
    assertEquals("E10501", t.get("/PV1-7-1"));
  }
}
