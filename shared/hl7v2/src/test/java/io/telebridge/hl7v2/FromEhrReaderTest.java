package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.fromehr.Code;
import io.telebridge.core.fromehr.EhrAppointmentEvent;
import io.telebridge.core.fromehr.EhrPatientEvent;
import io.telebridge.core.fromehr.FromEhrMessage;
import io.telebridge.core.fromehr.Observation;
import io.telebridge.core.fromehr.ObservationValue;
import io.telebridge.core.fromehr.Result;
import io.telebridge.core.fromehr.ResultReport;
import io.telebridge.core.fromehr.ResultStatus;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Provider;
import io.telebridge.core.model.Sex;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture in tests/fixtures/hl7v2/inbound read into the core model, values asserted. */
class FromEhrReaderTest {

  static final Path DIR = Path.of(System.getProperty("telebridge.hl7v2.fixtures.dir", "../../tests/fixtures/hl7v2"))
      .resolve("inbound");

  private final FromEhrReader reader = new FromEhrReader("TELEHEALTH", ZoneId.of("America/Chicago"));

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(DIR.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private <T extends FromEhrMessage> T read(String name, Class<T> type) {
    return assertInstanceOf(type, reader.read(Hl7Text.decode(bytes(name), StandardCharsets.UTF_8)));
  }

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hl7")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void readsEveryFixtureWithItsControlIdAndAnMrn(String name) {
    FromEhrMessage m = reader.read(Hl7Text.decode(bytes(name), StandardCharsets.UTF_8));
    assertTrue(m.header().controlId() != null && !m.header().controlId().isBlank(), name);
    assertEquals("MR", m.patient().mrn().typeCode(), name);
    // PHI never in toString
    assertFalse(m.toString().contains("Testpatient") || m.toString().contains("19840719"), name);
  }

  @Test
  void fixturesCoverLfCrAndCrlfEndings() {
    assertTrue(new String(bytes("oru-r01.v23.cerner-like.crlf.hl7"), StandardCharsets.ISO_8859_1).contains("\r\n"));
    String cr = new String(bytes("oru-r01.v24.corrected.cr.hl7"), StandardCharsets.ISO_8859_1);
    assertTrue(cr.contains("\r") && !cr.contains("\n"));
    String lf = new String(bytes("oru-r01.v251.epic-like.hl7"), StandardCharsets.ISO_8859_1);
    assertTrue(lf.contains("\n") && !lf.contains("\r"));
  }

  @Test
  void normalisesEveryEndingToCr() {
    assertEquals("MSH|a\rPID|b\rOBX|c", Hl7Text.normalize("\u000bMSH|a\r\nPID|b\n\nOBX|c\r\n\u001c\r"));
    assertEquals("MSH|a\rPID|b", Hl7Text.normalize("MSH|a\rPID|b\r"));
  }

  @Test
  void readsTheEpicLikeResultWithTypedValuesUnitsRangesFlagsAndLab() {
    ResultReport r = read("oru-r01.v251.epic-like.hl7", ResultReport.class);
    assertEquals("ORU^R01", r.header().messageType());
    assertEquals("2.5.1", r.header().version());
    assertEquals("UNICODE UTF-8", r.header().characterSet());
    assertEquals("MAIN_LAB", r.header().sendingFacility());
    assertEquals(OffsetDateTime.parse("2025-11-20T14:30:00-05:00"), r.header().sentAt());
    EhrPatient p = r.patient();
    assertEquals(List.of(new Identifier("100234", "EPI", "MR"), new Identifier("pat-1001", "TELEHEALTH", "PI")),
        p.identifiers(), "SSN-typed PID-3 is not carried");
    assertEquals("pat-1001", p.demographics().platformPatientId());
    assertEquals(1, r.results().size());
    Result res = r.results().get(0);
    assertEquals("EPIC_LAB:F-778812", res.id());
    assertEquals("ORD-5001", res.placerOrderId());
    assertEquals(new Code("24323-8", "Comprehensive metabolic panel", "LN"), res.test());
    assertEquals(ResultStatus.FINAL, res.status());
    assertFalse(res.isCorrection());
    assertEquals(List.of("Specimen received at 08:40."), res.notes());
    assertEquals(OffsetDateTime.parse("2025-11-20T14:25:00-05:00"), res.reportedAt());
    assertEquals("Main Street Reference Lab", res.performingLab());
    assertEquals(6, res.observations().size());

    Observation glucose = res.observations().get(0);
    assertEquals("NM", glucose.valueType());
    assertEquals(List.of(new ObservationValue.Numeric(new BigDecimal("112"))), glucose.values());
    assertEquals("mg/dL", glucose.units());
    assertEquals("70-99", glucose.referenceRange());
    assertEquals(List.of("H"), glucose.abnormalFlags());
    assertEquals(ResultStatus.FINAL, glucose.status());
    assertEquals(OffsetDateTime.parse("2025-11-20T08:00:00-05:00"), glucose.observedAt());
    assertEquals("Main Street Reference Lab", glucose.performingLab());

    Observation creatinine = res.observations().get(2);
    assertEquals(List.of(new ObservationValue.StructuredNumeric("<", new BigDecimal("0.5"), null, null)),
        creatinine.values());
    assertEquals(List.of("Below the reportable range; repeat if clinically indicated."), creatinine.notes());
    assertEquals(List.of(new ObservationValue.Coded(new Code("YEL", "Yellow", "L"))), res.observations().get(3).values());
    assertEquals(List.of(new ObservationValue.Text("Fasting specimen & non-hemolysed")), res.observations().get(4).values());
    assertEquals(List.of(new ObservationValue.StructuredNumeric(null, new BigDecimal("1"), ":", new BigDecimal("128"))),
        res.observations().get(5).values());
  }

  @Test
  void readsTheV23CrlfResultAndDecodesEveryEscape() {
    ResultReport r = read("oru-r01.v23.cerner-like.crlf.hl7", ResultReport.class);
    assertEquals("2.3", r.header().version());
    assertEquals(new Identifier("100877", "CERNMRN", "MR"), r.patient().mrn());
    assertEquals("T-44120", r.patient().demographics().platformPatientId());
    Result res = r.results().get(0);
    assertEquals("CERNER:RAD-55102", res.id());
    assertEquals(ResultStatus.PRELIMINARY, res.status());
    assertEquals("North Hospital Radiology", res.performingLab(), "OBX-15 producer as the lab (v2.3)");
    assertEquals(OffsetDateTime.parse("2025-11-21T08:30:00-06:00"), res.observedAt(), "no offset: the EHR's zone");
    Observation tx = res.observations().get(0);
    assertEquals(List.of(new ObservationValue.Text("Lungs are clear."),
        new ObservationValue.Text("No acute findings & no effusion.")), tx.values(), "TX repetitions");
    Observation ft = res.observations().get(1);
    assertEquals(List.of(new ObservationValue.Text(
        "Findings\n1. Heart size normal|stable.\n2. Path C:\\scans\\ noted ^ ~ archived AB.")), ft.values());
    assertEquals(List.of("Compared with the study of 2024-01-10."), ft.notes());
    assertEquals(List.of(new ObservationValue.Coded(new Code("NEG", "Negative", "L"))), res.observations().get(2).values());
  }

  @Test
  void readsTheCrCorrectionAsACorrectionOfTheSameResultId() {
    ResultReport r = read("oru-r01.v24.corrected.cr.hl7", ResultReport.class);
    Result res = r.results().get(0);
    assertEquals("EPIC_LAB:F-778812", res.id());
    assertEquals(ResultStatus.CORRECTED, res.status());
    assertTrue(res.isCorrection());
    assertEquals(ResultStatus.CORRECTED, res.observations().get(0).status());
    assertEquals(List.of(new ObservationValue.Numeric(new BigDecimal("121"))), res.observations().get(0).values());
    assertEquals(List.of("Corrected: transcription error in the glucose value."), res.observations().get(0).notes());
  }

  @Test
  void readsAnEmbeddedPdfAsAnAttachment() {
    ResultReport r = read("oru-r01.v251.ed-pdf.hl7", ResultReport.class);
    Result res = r.results().get(0);
    assertEquals(1, res.attachments().size());
    ObservationValue.Attachment a = res.attachments().get(0);
    assertEquals("application/pdf", a.mediaType());
    assertEquals("Base64", a.encoding());
    assertEquals("EPIC_LAB", a.sourceApplication());
    assertTrue(new String(Base64.getDecoder().decode(a.data()), StandardCharsets.US_ASCII).startsWith("%PDF-1.4"));
    assertEquals("%", res.observations().get(1).units());
  }

  @Test
  void decodesTheLatin1FileByItsMsh18() {
    byte[] raw = bytes("oru-r01.v251.latin1.hl7");
    assertEquals(StandardCharsets.ISO_8859_1, Hl7Text.charsetOf(raw, StandardCharsets.UTF_8));
    ResultReport r = read("oru-r01.v251.latin1.hl7", ResultReport.class);
    assertEquals("8859/1", r.header().characterSet());
    assertEquals("Ibáñez", r.patient().demographics().name().family());
    assertEquals(List.of("Zoë"), r.patient().demographics().name().given());
    assertEquals(List.of("Muestra recibida en Bogotá; análisis sin incidencias."), r.results().get(0).observations().get(0).notes());
    assertEquals("COMMUNITY_LAB:CCL-9911", r.results().get(0).id());
    assertEquals("<200", r.results().get(0).observations().get(0).referenceRange());
  }

  @Test
  void readsAnA04RegistrationWithContactsAndAddress() {
    EhrPatientEvent e = read("adt-a04.v251.hl7", EhrPatientEvent.class);
    assertEquals(EhrPatientEvent.Kind.REGISTERED, e.kind());
    assertEquals(new Identifier("100301", "EPI", "MR"), e.patient().mrn());
    assertNull(e.patient().demographics().platformPatientId());
    var d = e.patient().demographics();
    assertEquals("Newperson", d.name().family());
    assertEquals(List.of("Riley"), d.name().given());
    assertEquals(LocalDate.of(1992, 5, 11), d.birthDate());
    assertEquals(Sex.FEMALE, d.sex());
    assertEquals(List.of(new Phone("home", "+15555550111")), d.phones());
    assertEquals("riley.newperson@example.org", d.email());
    assertEquals(List.of("5 Example Road", "Apt 2"), d.address().lines());
    assertEquals("Springfield", d.address().city());
    assertEquals("62704", d.address().postalCode());
    assertEquals(OffsetDateTime.parse("2025-11-19T10:00:00-05:00"), e.recordedAt());
  }

  @Test
  void readsAV23A08WithAZSegmentAndAnEscapedName() {
    EhrPatientEvent e = read("adt-a08.v23.zsegment.hl7", EhrPatientEvent.class);
    assertEquals(EhrPatientEvent.Kind.UPDATED, e.kind());
    assertEquals("pat-1001", e.patient().demographics().platformPatientId());
    assertEquals("O'Brien|Smith", e.patient().demographics().name().family());
    assertEquals(List.of("Avery", "Q"), e.patient().demographics().name().given());
    assertEquals("Jr", e.patient().demographics().name().suffix());
    assertEquals(OffsetDateTime.parse("2025-11-20T12:00:00-06:00"), e.recordedAt());
  }

  @Test
  void readsA28A31AndTheA40Merge() {
    EhrPatientEvent a28 = read("adt-a28.v24.hl7", EhrPatientEvent.class);
    assertEquals(EhrPatientEvent.Kind.PERSON_ADDED, a28.kind());
    assertEquals(2, a28.patient().identifiers().size());
    assertNull(a28.patient().demographics().platformPatientId(), "a PI of another authority is not the platform's");
    assertEquals(Sex.UNKNOWN, a28.patient().demographics().sex());
    EhrPatientEvent a31 = read("adt-a31.v251.hl7", EhrPatientEvent.class);
    assertEquals(EhrPatientEvent.Kind.PERSON_UPDATED, a31.kind());
    EhrPatientEvent a40 = read("adt-a40.v251.hl7", EhrPatientEvent.class);
    assertEquals(EhrPatientEvent.Kind.MERGED, a40.kind());
    assertEquals(new Identifier("100234", "EPI", "MR"), a40.patient().mrn());
    assertEquals(new Identifier("100877", "EPI", "MR"), a40.priorMrn());
  }

  @Test
  void readsEverySchedulingTrigger() {
    EhrAppointmentEvent s12 = read("siu-s12.v251.hl7", EhrAppointmentEvent.class);
    assertEquals(EhrAppointmentEvent.Kind.BOOKED, s12.kind());
    assertNull(s12.placerId());
    assertEquals("SCH-200001", s12.fillerId());
    assertEquals("filler:SCH-200001", s12.appointmentKey());
    assertEquals(OffsetDateTime.parse("2025-12-02T09:30:00-05:00"), s12.start());
    assertEquals(OffsetDateTime.parse("2025-12-02T10:00:00-05:00"), s12.end());
    assertEquals(new Provider("E10501", "1555014202", "Casey Clinician"), s12.provider());
    assertEquals("Booked", s12.fillerStatus());

    EhrAppointmentEvent s13 = read("siu-s13.v251.hl7", EhrAppointmentEvent.class);
    assertEquals(EhrAppointmentEvent.Kind.RESCHEDULED, s13.kind());
    assertEquals("apt-3001", s13.appointmentKey());
    assertEquals(OffsetDateTime.parse("2025-11-21T14:00:00-05:00"), s13.start());

    EhrAppointmentEvent s14 = read("siu-s14.v24.crlf.hl7", EhrAppointmentEvent.class);
    assertEquals(EhrAppointmentEvent.Kind.MODIFIED, s14.kind());
    assertEquals("1555019904", s14.provider().npi());

    EhrAppointmentEvent s15 = read("siu-s15.v251.cr.hl7", EhrAppointmentEvent.class);
    assertEquals(EhrAppointmentEvent.Kind.CANCELLED, s15.kind());
    assertEquals("Cancelled", s15.fillerStatus());

    EhrAppointmentEvent s17 = read("siu-s17.v23.hl7", EhrAppointmentEvent.class);
    assertEquals(EhrAppointmentEvent.Kind.DELETED, s17.kind());
    assertEquals(OffsetDateTime.parse("2025-12-02T09:30:00-06:00"), s17.start(), "no offset: the EHR's zone");
    assertEquals(new Provider("E10501", null, "Casey Clinician"), s17.provider());

    EhrAppointmentEvent s26 = read("siu-s26.v251.hl7", EhrAppointmentEvent.class);
    assertEquals(EhrAppointmentEvent.Kind.NO_SHOW, s26.kind());
    assertEquals(OffsetDateTime.parse("2025-11-21T13:20:00-05:00"), s26.end());
  }

  @Test
  void refusesWhatTheReturnPathDoesNotCarryWithoutEchoingPatientData() {
    assertThrows(UnreadableMessageException.class, () -> reader.read("not hl7 at all"));
    assertThrows(UnreadableMessageException.class, () -> reader.read(""));
    var e = assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|20251120||MDM^T02|X1|P|2.5.1\rPID|1||100234^^^EPI^MR||Secretname^Avery"));
    assertTrue(e.getMessage().contains("MDM") && e.getMessage().contains("X1"));
    assertFalse(e.getMessage().contains("Secretname"));
    assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|20251120||ADT^A08|X2|P|2.5.1\rEVN|A08\rPID|1||"));
    assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|20251120||ADT^A40|X3|P|2.5.1\rEVN|A40\rPID|1||100234^^^EPI^MR"));
    assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|notatime||ORU^R01|X4|P|2.5.1\rPID|1||1^^^EPI^MR\rOBR|1||F1^L"));
  }

  @Test
  void readsAV251OruWithAnSnAbove500APreliminaryAndAFinalGroupAndATrailingZSegment() {
    ResultReport r = read("oru-r01.v251.sn-prelim-final-z.hl7", ResultReport.class);
    assertEquals(2, r.results().size());
    Result prelim = r.results().get(0);
    Result fin = r.results().get(1);
    assertEquals(ResultStatus.PRELIMINARY, prelim.status());
    assertEquals(ResultStatus.FINAL, fin.status());
    assertEquals("GENLAB:F-990001", prelim.id());
    assertEquals(new ObservationValue.StructuredNumeric(">", new BigDecimal("500"), null, null),
        prelim.observations().get(0).values().get(0));
    assertEquals(3, fin.observations().size());
    // a value below the detection limit sent in an NM slot is kept as sent (validation would refuse it)
    assertEquals(new ObservationValue.Text("<0.010"), fin.observations().get(1).values().get(0));
    assertEquals(List.of("Verified by the second reader."), fin.observations().get(2).notes());
  }

  @Test
  void readsAV24PanelOf300Observations() {
    ResultReport r = read("oru-r01.v24.panel-300.hl7", ResultReport.class);
    assertEquals("2.4", r.header().version());
    assertEquals(1, r.results().size());
    List<Observation> obx = r.results().get(0).observations();
    assertEquals(300, obx.size());
    assertEquals(300, obx.get(299).setId());
    assertEquals(new ObservationValue.Text("<0.5"), obx.get(49).values().get(0));
    assertEquals(new ObservationValue.Text(">1000"), obx.get(74).values().get(0));
  }

  @Test
  void readsTheLatin1A31WithItsAccentsIntact() {
    byte[] raw = bytes("adt-a31.v24.latin1.hl7");
    assertEquals((byte) 0xf1, raw[new String(raw, StandardCharsets.ISO_8859_1).indexOf("Mu") + 2], "real ISO-8859-1 bytes");
    EhrPatientEvent e = read("adt-a31.v24.latin1.hl7", EhrPatientEvent.class);
    assertEquals("Muñoz", e.patient().demographics().name().family());
    assertEquals(List.of("José", "María"), e.patient().demographics().name().given());
    assertEquals("pat-1055", e.patient().demographics().platformPatientId());
    assertFalse(e.patient().demographics().toString().contains("\uFFFD"));
  }

  static Stream<String> refused() throws IOException {
    try (Stream<Path> files = Files.list(DIR.resolve("refused"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hl7")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesEveryRefusedFixtureWithAnHl7ErrorCodeAndAReason(String name) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(DIR.resolve("refused").resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    var e = assertThrows(UnreadableMessageException.class,
        () -> reader.read(Hl7Text.decode(raw, StandardCharsets.UTF_8)));
    assertTrue(e.errorCode().matches("1\\d\\d|20\\d"), e.errorCode());
    assertFalse(e.reason().isBlank());
    assertFalse(e.getMessage().contains("Testpatient") || e.getMessage().contains("Mu"), e.getMessage());
  }

  @Test
  void anOruWithoutObrIsUntranslatableAtObr() {
    var e = assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|20251120||ORU^R01|X5|P|2.5.1\rPID|1||1^^^EPI^MR\rOBX|1|NM|1^X||5|||||F"));
    assertEquals(UnreadableMessageException.UNTRANSLATABLE, e.reason());
    assertEquals("OBR", e.segment());
  }

  @Test
  void unsupportedTypesTriggersAndVersionsCarryTheirTable0357Codes() {
    var type = assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|20251120||MDM^T02|X6|P|2.5.1\rPID|1||1^^^EPI^MR"));
    assertEquals("200", type.errorCode());
    assertEquals(UnreadableMessageException.UNSUPPORTED_TYPE, type.reason());
    var trigger = assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|20251120||ADT^A03|X7|P|2.5.1\rPID|1||1^^^EPI^MR"));
    assertEquals("201", trigger.errorCode());
    var version = assertThrows(UnreadableMessageException.class, () -> reader.read(
        "MSH|^~\\&|A|B|C|D|20251120||ORU^R01|X8|P|9.9\rPID|1||1^^^EPI^MR\rOBR|1||F1^L"));
    assertEquals("203", version.errorCode());
    assertEquals(12, version.field());
  }
}
