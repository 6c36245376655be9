package io.telebridge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.model.Appointment;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Sex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlatformEventReaderTest {

  private static final Path EVENTS = Path.of(System.getProperty("telebridge.events.dir", "../../events"));

  private final PlatformEventReader reader = new PlatformEventReader();

  static Stream<Path> validSamples() throws IOException {
    try (Stream<Path> top = Files.list(EVENTS); Stream<Path> edge = Files.list(EVENTS.resolve("edge"))) {
      return Stream.concat(top.toList().stream(), edge.toList().stream())
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().startsWith("invalid."))
          .sorted()
          .toList()
          .stream();
    }
  }

  private PlatformEvent sample(String name) throws IOException {
    return reader.read(Files.readAllBytes(EVENTS.resolve(name)));
  }

  @Test
  void findsEverySampleOfEveryEventType() throws IOException {
    List<EventType> types = validSamples().map(p -> {
      try {
        return reader.read(Files.readAllBytes(p)).type();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).distinct().toList();
    assertEquals(EventType.values().length, types.size(), "one sample per event type at least");
  }

  @ParameterizedTest
  @MethodSource("validSamples")
  void readsEverySampleWithItsEnvelopeAndPatient(Path file) throws IOException {
    PlatformEvent event = reader.read(Files.readAllBytes(file));
    String name = file.getFileName().toString();
    String[] parts = name.split("\\.");
    assertEquals(parts[0] + "." + parts[1], event.type().wireName(), "<type>[.<variant>].json");
    assertNotNull(event.eventId());
    assertNotNull(event.occurredAt());
    assertEquals("demo-clinic", event.tenant());
    assertNotNull(event.patient().platformPatientId());
    boolean appointmentEvent = event.type().wireName().startsWith("appointment.");
    assertEquals(appointmentEvent, event.appointment() != null);
    assertEquals(event.type().wireName().startsWith("visit."), event.visit() != null);
  }

  @Test
  void readsTheSignedNoteWithTheSchemasDefaults() throws IOException {
    PlatformEvent event = sample("visit.note_signed.json");
    var visit = event.visit();
    assertEquals("vis-2001", visit.id());
    assertEquals("apt-3001", visit.appointmentId());
    var note = visit.note();
    assertEquals("note-4001", note.id());
    assertEquals("progress_note", note.type());
    assertEquals(io.telebridge.core.model.VisitNote.Status.SIGNED, note.status());
    assertEquals(1, note.version());
    assertEquals("text/plain", note.contentType());
    assertTrue(note.content().startsWith("Synthetic note for testing.\nS: "));
    assertEquals(OffsetDateTime.parse("2025-11-21T15:40:11-05:00"), note.signedAt());
    assertEquals("1555014202", note.author().npi());
    assertFalse(note.toString().contains("Synthetic"), "toString hides the note");
  }

  @Test
  void readsAnAmendmentAndARetractionWithoutContent() throws IOException {
    var amended = sample("edge/visit.note_signed.amended.json").visit().note();
    assertEquals(io.telebridge.core.model.VisitNote.Status.AMENDED, amended.status());
    assertEquals(2, amended.version());
    var retracted = sample("edge/visit.note_signed.retracted.json").visit().note();
    assertEquals(io.telebridge.core.model.VisitNote.Status.RETRACTED, retracted.status());
    assertNull(retracted.content());
    assertNull(retracted.contentType());
  }

  @Test
  void readsOrdersWithTheirOrdererDiagnosesAndCancellation() throws IOException {
    var orders = sample("visit.orders_placed.json").visit().orders();
    assertEquals(2, orders.size());
    var first = orders.get(0);
    assertEquals("ord-5001", first.id());
    assertEquals(new io.telebridge.core.model.Coding("http://loinc.org", "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"),
        first.code());
    assertEquals("routine", first.priority());
    assertEquals("prov-501", first.orderer().id());
    assertEquals(OffsetDateTime.parse("2025-11-21T10:34:40-05:00"), first.orderedAt());
    assertEquals(List.of("R51.9"), first.diagnoses());
    assertFalse(first.cancelled());
    assertTrue(sample("edge/visit.orders_placed.cancelled.json").visit().orders().get(0).cancelled());
  }

  @Test
  void readsChargesWithModifiersDiagnosesInOrderAndReversal() throws IOException {
    var charge = sample("visit.charges_posted.json").visit().charges().get(0);
    assertEquals("chg-6001", charge.id());
    assertEquals("99204", charge.cpt());
    assertEquals(List.of("95"), charge.modifiers());
    assertEquals(List.of("G44.209", "R51.9"), charge.icd10());
    assertEquals(1, charge.units());
    assertEquals(LocalDate.of(2025, 11, 21), charge.serviceDate());
    assertEquals("10", charge.placeOfService());
    assertEquals("1555014202", charge.performer().npi());
    assertFalse(charge.reversed());
    assertTrue(sample("edge/visit.charges_posted.reversal.json").visit().charges().get(0).reversed());
  }

  @Test
  void readsTheRegistrationDemographics() throws IOException {
    PlatformEvent event = sample("patient.registered.json");
    assertEquals("evt-0001-registered", event.eventId());
    assertEquals(EventType.PATIENT_REGISTERED, event.type());
    assertEquals(Instant.parse("2025-11-03T14:12:44Z"), event.occurredAt());
    PatientDemographics p = event.patient();
    assertEquals("pat-1001", p.platformPatientId());
    assertTrue(p.hasDemographics());
    assertEquals(List.of("Seán", "Patrick"), p.name().given());
    assertEquals("O'Connell-Reyes", p.name().family());
    assertEquals("Mr.", p.name().prefix());
    assertEquals("Jr", p.name().suffix());
    assertEquals(LocalDate.of(1984, 7, 19), p.birthDate());
    assertEquals(Sex.MALE, p.sex());
    assertEquals(List.of(new Phone("mobile", "+16175550142"), new Phone("home", "(617) 555-0199")), p.phones());
    assertEquals("sean.oconnell-reyes@example.org", p.email());
    assertEquals(List.of("42 Larkspur Lane", "Apt 3B"), p.address().lines());
    assertEquals("Springfield", p.address().city());
    assertEquals("MA", p.address().state());
    assertEquals("01103", p.address().postalCode());
    assertEquals("US", p.address().country());
    assertEquals("0142", p.ssnLast4());
    assertNull(event.appointment());
  }

  @Test
  void readsTheBookedAppointmentWithItsOffsetAndZone() throws IOException {
    PlatformEvent event = sample("appointment.booked.json");
    Appointment a = event.appointment();
    assertEquals("apt-3001", a.id());
    assertNull(a.ehrId());
    assertEquals(OffsetDateTime.parse("2025-11-20T14:30:00-05:00"), a.start());
    assertEquals(OffsetDateTime.parse("2025-11-20T15:00:00-05:00"), a.end());
    assertEquals(ZoneId.of("America/New_York"), a.timeZone());
    assertEquals("prov-501", a.provider().id());
    assertEquals("1555014202", a.provider().npi());
    assertEquals("Dr. Imani Castellanos", a.provider().name());
    assertEquals("new_patient", a.visitType());
    assertTrue(a.reason().startsWith("Recurring headaches"));
    assertEquals("booked", a.status());
    assertEquals("video", a.modality());
    assertEquals(30, a.duration().toMinutes());
    assertTrue(event.patient().hasDemographics());
  }

  @Test
  void readsTheRescheduledAppointmentWithItsPreviousTimes() throws IOException {
    PlatformEvent event = sample("appointment.rescheduled.json");
    assertEquals("SCH-104233", event.appointment().ehrId());
    assertEquals(OffsetDateTime.parse("2025-11-21T10:00:00-05:00"), event.appointment().start());
    assertEquals(OffsetDateTime.parse("2025-11-20T14:30:00-05:00"), event.previousStart());
    assertEquals(OffsetDateTime.parse("2025-11-20T15:00:00-05:00"), event.previousEnd());
    assertFalse(event.patient().hasDemographics(), "the sample carries the patient id only");
    assertEquals("pat-1001", event.patient().platformPatientId());
  }

  @Test
  void readsWhoCancelledAndWhy() throws IOException {
    PlatformEvent event = sample("appointment.cancelled.json");
    assertEquals("patient", event.cancelledBy());
    assertEquals("Symptoms resolved; patient no longer needs the follow-up.", event.cancellationReason());
    assertEquals("cancelled", event.appointment().status());
    assertNull(event.appointment().reason());
    assertNull(event.previousStart());
  }

  @Test
  void readsThePhoneModalityOfTheNoShow() throws IOException {
    PlatformEvent event = sample("appointment.no_show.json");
    assertEquals("phone", event.appointment().modality());
    assertEquals("no_show", event.appointment().status());
    assertEquals("prov-502", event.appointment().provider().id());
  }

  @Test
  void fillsOnlyTheEnvelopeAndThePatientForVisitEvents() throws IOException {
    for (String name : List.of("visit.note_signed.json", "visit.orders_placed.json", "visit.charges_posted.json")) {
      PlatformEvent event = sample(name);
      assertEquals("pat-1001", event.patient().platformPatientId(), name);
      assertNull(event.appointment(), name);
      assertNull(event.cancelledBy(), name);
    }
  }

  @Test
  void keepsHl7DelimitersInNamesAndAddressesVerbatim() throws IOException {
    PlatformEvent event = sample("edge/patient.registered.escaping.json");
    PatientDemographics p = event.patient();
    assertEquals("O'Brien|Smith^Jr", p.name().family());
    assertEquals(List.of("Mary&Jane", "Ann~Lee", "Đặng"), p.name().given());
    assertEquals(List.of("7 Back\\Slash Rd", "Unit #4 | Rear"), p.address().lines());
    assertEquals(Sex.FEMALE, p.sex());
    assertNull(p.ssnLast4());
  }

  @Test
  void defaultsTheModalityToVideoWhenAbsent() {
    String body = """
        {"id":"e1","type":"appointment.booked","occurredAt":"2025-11-10T11:45:03Z",
         "source":{"tenant":"t"},"patient":{"id":"p1"},
         "data":{"appointment":{"id":"a1","start":"2025-11-20T14:30:00Z","end":"2025-11-20T15:00:00Z",
           "timeZone":"UTC","provider":{"id":"x","npi":"1555014202"},"visitType":"follow_up"}}}
        """;
    Appointment a = reader.read(body).appointment();
    assertEquals("video", a.modality());
    assertNull(a.provider().name());
    assertEquals(Sex.UNKNOWN, reader.read(body).patient().sex());
  }

  @Test
  void refusesTheInvalidSampleNamingThePointerButNotTheValue() throws IOException {
    byte[] body = Files.readAllBytes(EVENTS.resolve("edge/invalid.appointment.booked.json"));
    MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.read(body));
    assertEquals("/patient/birthDate", e.pointer());
    assertFalse(e.getMessage().contains("07/19/1984"));
  }

  @Test
  void refusesABodyThatIsNotJsonWithoutQuotingIt() {
    MalformedEventException e = assertThrows(MalformedEventException.class,
        () -> reader.read("{\"patient\": {\"name\": Seán O'Connell}}"));
    assertEquals("", e.pointer());
    assertFalse(e.getMessage().contains("Seán"), e.getMessage());
    assertNull(e.getCause());
  }

  @Test
  void refusesDuplicateKeysAndTrailingContent() {
    assertThrows(MalformedEventException.class, () -> reader.read("{\"id\":\"a\",\"id\":\"b\"}"));
    assertThrows(MalformedEventException.class, () -> reader.read("{\"id\":\"a\"} {}"));
  }

  @Test
  void refusesAnUnknownEventTypeAndAMissingMember() {
    MalformedEventException unknown = assertThrows(MalformedEventException.class, () -> reader.read(
        "{\"id\":\"e\",\"type\":\"visit.teleported\",\"occurredAt\":\"2025-11-10T11:45:03Z\"}"));
    assertEquals("/type", unknown.pointer());
    MalformedEventException missing = assertThrows(MalformedEventException.class, () -> reader.read(
        "{\"id\":\"e\",\"type\":\"appointment.booked\",\"occurredAt\":\"2025-11-10T11:45:03Z\","
            + "\"source\":{\"tenant\":\"t\"},\"patient\":{\"id\":\"p\"},\"data\":{}}"));
    assertEquals("/data/appointment", missing.pointer());
  }

  @Test
  void appliesTheIntakesEventRulesSoABypassedIntakeStillCannotSlipThemPast() throws IOException {
    String booked = Files.readString(EVENTS.resolve("appointment.booked.json"));
    String bad = booked.replace("Recurring headaches", "Recurring \\uffff headaches")
        .replace("\"2025-11-20T14:30:00-05:00\"", "\"2025-11-20T14:30:00+19:00\"")
        .replace("America/New_York", "America/Gotham");
    MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.read(bad));
    assertEquals(List.of("/data/appointment/reason", "/data/appointment/start", "/data/appointment/timeZone"),
        e.fields().stream().map(f -> f.pointer()).sorted().toList());
    assertFalse(e.getMessage().contains("Recurring"), e.getMessage());
    assertEquals(e.fields(), reader.problems(tools.jackson.databind.json.JsonMapper.builder().build().readTree(bad)));
    assertTrue(reader.problems(tools.jackson.databind.json.JsonMapper.builder().build().readTree(booked)).isEmpty());
  }

  @Test
  void refusesABodyThatIsNotUtf8InsteadOfReadingItAsReplacementCharacters() throws IOException {
    byte[] booked = Files.readAllBytes(EVENTS.resolve("appointment.booked.json"));
    byte[] broken = java.util.Arrays.copyOf(booked, booked.length + 1);
    System.arraycopy(booked, 2, broken, 3, booked.length - 2);
    broken[2] = (byte) 0xFF; // {"<0xFF>id": ...
    MalformedEventException e = assertThrows(MalformedEventException.class, () -> reader.read(broken));
    assertEquals("", e.pointer());
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void leavesNamesOutOfTheEventsToString() throws IOException {
    String text = sample("appointment.booked.json").toString();
    assertFalse(text.contains("Connell"), text);
    assertFalse(text.contains("headaches"), text);
    assertTrue(text.contains("evt-0003-booked"));
  }
}
