package io.telebridge.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.intake.InvalidEventException;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.ValidatedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The schemas of api/openapi.yaml against the events/ samples and broken variants of them. */
class JsonSchemaEventValidatorTest {

  private static final Path EVENTS = Path.of("../../events");
  private static final JsonSchemaEventValidator VALIDATOR = new JsonSchemaEventValidator();

  static Stream<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(EVENTS)) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertEquals(9, list.size(), "one sample per event type");
      return list.stream();
    }
  }

  private static String sample(String name) throws IOException {
    return Files.readString(EVENTS.resolve(name));
  }

  private static List<InvalidField> errorsOf(String body) {
    InvalidEventException e = assertThrows(InvalidEventException.class,
        () -> VALIDATOR.validate(body.getBytes(StandardCharsets.UTF_8)));
    return e.fields();
  }

  private static List<String> pointersOf(String body) {
    return errorsOf(body).stream().map(InvalidField::pointer).sorted().toList();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void acceptsEverySample(Path sample) throws IOException {
    ValidatedEvent event = VALIDATOR.validate(Files.readAllBytes(sample));
    String type = sample.getFileName().toString().replace(".json", "");
    assertEquals(type, event.type());
    assertEquals("pat-1001", event.patientId());
    assertFalse(event.eventId().isBlank());
    assertFalse(event.tenant().isBlank());
  }

  @Test
  void primesWithAValidEventThatHoldsNoPatientData() {
    assertEquals("prime-0", new JsonSchemaEventValidator().prime().validate(
        JsonSchemaEventValidator.PRIMING_EVENT.getBytes(StandardCharsets.UTF_8)).eventId());
  }

  @Test
  void acceptsTheEscapingEdgeCase() throws IOException {
    VALIDATOR.validate(Files.readAllBytes(EVENTS.resolve("edge/patient.registered.escaping.json")));
  }

  @Test
  void namesEveryBadFieldOfTheInvalidSample() throws IOException {
    assertEquals(List.of("/data/appointment/provider/npi", "/data/appointment/start", "/patient/birthDate"),
        pointersOf(sample("edge/invalid.appointment.booked.json")));
    InvalidField npi = errorsOf(sample("edge/invalid.appointment.booked.json")).stream()
        .filter(f -> f.pointer().endsWith("/npi")).findFirst().orElseThrow();
    assertEquals("must match the pattern ^[0-9]{10}$", npi.message());
  }

  @Test
  void refusesAMissingPatientId() throws IOException {
    String body = sample("appointment.cancelled.json").replaceFirst("\"id\": \"pat-1001\"", "\"mrnHint\": null");
    assertEquals(List.of("/patient/id", "/patient/mrnHint"), pointersOf(body));
  }

  @Test
  void refusesUnknownFieldsByName() throws IOException {
    String body = sample("appointment.booked.json").replaceFirst("\"birthDate\"", "\"nickname\": \"x\", \"birthDate\"");
    assertEquals(List.of("/patient/nickname"), pointersOf(body));
  }

  @Test
  void refusesAnImpossibleDateWithoutEchoingIt() throws IOException {
    String body = sample("appointment.booked.json").replaceFirst("\"birthDate\": \"[0-9-]+\"", "\"birthDate\": \"1984-02-30\"");
    List<InvalidField> errors = errorsOf(body);
    assertEquals(List.of("/patient/birthDate"), errors.stream().map(InvalidField::pointer).toList());
    assertFalse(errors.get(0).message().contains("1984"), errors.get(0).message());
  }

  @Test
  void refusesAnUnknownEventType() throws IOException {
    String body = sample("appointment.booked.json").replace("\"appointment.booked\"", "\"appointment.teleported\"");
    assertTrue(pointersOf(body).contains("/type"));
  }

  @Test
  void refusesAnIdWithATrailingNewline() throws IOException {
    String body = sample("appointment.cancelled.json").replace("\"pat-1001\"", "\"pat-1001\\n\"");
    assertEquals(List.of("/patient/id"), pointersOf(body));
  }

  @Test
  void refusesAnAppointmentEndingBeforeItStarts() throws IOException {
    String body = sample("appointment.no_show.json");
    String start = body.replaceAll("(?s).*\"start\": \"([^\"]+)\".*", "$1");
    String end = body.replaceAll("(?s).*\"end\": \"([^\"]+)\".*", "$1");
    String swapped = body.replace("\"start\": \"" + start + "\"", "\"start\": \"TMP\"")
        .replace("\"end\": \"" + end + "\"", "\"end\": \"" + start + "\"")
        .replace("\"start\": \"TMP\"", "\"start\": \"" + end + "\"");
    assertEquals(List.of("/data/appointment/end"), pointersOf(swapped));
  }

  @Test
  void refusesAnNpiWithABadCheckDigit() throws IOException {
    String body = sample("appointment.booked.json").replace("1555014202", "1555014203");
    assertEquals(List.of("/data/appointment/provider/npi"), pointersOf(body));
  }

  @Test
  void refusesACharacterTheQueuesCannotCarryNamingTheField() throws IOException {
    // U+FFFF as the JSON escape and as raw UTF-8; U+0000 escaped; an unpaired surrogate escaped
    for (String odd : List.of("\\uffff", "\uffff", "\\u0000", "\\ud800x", "\\udc00", "\\ufffe")) {
      String body = sample("appointment.booked.json").replace("Recurring headaches", "Recurring " + odd + " headaches");
      List<InvalidField> errors = errorsOf(body);
      assertEquals(List.of("/data/appointment/reason"), errors.stream().map(InvalidField::pointer).toList(), odd);
      if (!odd.contains("u0000")) { // a control character already breaks the schema's text pattern
        assertTrue(errors.get(0).message().contains("queues carry"), errors.get(0).message());
      }
    }
    String name = sample("patient.registered.json").replace("\"Seán\"", "\"Se\\uffffán\"");
    assertEquals(List.of("/patient/name/given/0"), pointersOf(name));
  }

  @Test
  void acceptsCharactersBeyondTheBasicPlaneAsSurrogatePairs() throws IOException {
    String body = sample("appointment.booked.json").replace("Recurring headaches", "Recurring \\ud83d\\ude00 headaches 😀");
    VALIDATOR.validate(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesAnOffsetBeyondFourteenHours() throws IOException {
    String body = sample("appointment.booked.json")
        .replace("\"2025-11-20T14:30:00-05:00\"", "\"2025-11-20T14:30:00+19:00\"")
        .replace("\"2025-11-20T15:00:00-05:00\"", "\"2025-11-20T15:00:00+14:30\"");
    List<InvalidField> errors = errorsOf(body);
    assertEquals(List.of("/data/appointment/end", "/data/appointment/start"),
        errors.stream().map(InvalidField::pointer).sorted().toList());
    String kiribati = sample("appointment.booked.json")
        .replace("2025-11-20T14:30:00-05:00", "2025-11-21T09:30:00+14:00")
        .replace("2025-11-20T15:00:00-05:00", "2025-11-21T10:00:00+14:00")
        .replace("America/New_York", "Pacific/Kiritimati");
    VALIDATOR.validate(kiribati.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesATimeZoneThatIsNotAnIanaName() throws IOException {
    for (String zone : List.of("Mars/Olympus_Mons", "America/New_Yorkk", "UTC+05:00")) {
      String body = sample("appointment.booked.json").replace("America/New_York", zone);
      assertEquals(List.of("/data/appointment/timeZone"), pointersOf(body), zone);
    }
  }

  @Test
  void refusesALeapSecondAndDatesOutsideTheYearsAnHl7TimeCanCarry() throws IOException {
    String leap = sample("appointment.booked.json").replace("2025-11-10T11:45:03-05:00", "2025-11-10T23:59:60Z");
    assertEquals(List.of("/occurredAt"), pointersOf(leap));
    String far = sample("appointment.rescheduled.json").replaceFirst("\"start\": \"2025", "\"start\": \"9999");
    assertTrue(pointersOf(far).stream().anyMatch(p -> p.endsWith("/start")), far);
    String born = sample("patient.registered.json").replace("1984-07-19", "0001-07-19");
    assertEquals(List.of("/patient/birthDate"), pointersOf(born));
  }

  @Test
  void knowsValidNpiCheckDigits() {
    assertTrue(io.telebridge.json.EventRules.validNpi("1234567893")); // the CMS example
    assertFalse(io.telebridge.json.EventRules.validNpi("1234567890"));
  }

  @Test
  void refusesMalformedJsonAndDuplicateKeysAndTrailingGarbage() {
    assertTrue(assertThrows(InvalidEventException.class,
        () -> VALIDATOR.validate("{\"id\": ".getBytes(StandardCharsets.UTF_8))).malformedJson());
    assertTrue(assertThrows(InvalidEventException.class,
        () -> VALIDATOR.validate("{\"id\":\"a\",\"id\":\"b\"}".getBytes(StandardCharsets.UTF_8))).malformedJson());
    assertTrue(assertThrows(InvalidEventException.class,
        () -> VALIDATOR.validate("{} {}".getBytes(StandardCharsets.UTF_8))).malformedJson());
    assertTrue(assertThrows(InvalidEventException.class,
        () -> VALIDATOR.validate("[]".getBytes(StandardCharsets.UTF_8))).malformedJson());
  }

  @Test
  void schemaErrorsAreNotMalformedJson() throws IOException {
    assertFalse(assertThrows(InvalidEventException.class,
        () -> VALIDATOR.validate(sample("edge/invalid.appointment.booked.json").getBytes(StandardCharsets.UTF_8)))
        .malformedJson());
  }

  @org.junit.jupiter.api.Test
  void refusesANumberTooLargeForItsIntegerFieldAsABadFieldNotAServerError() throws IOException {
    String body = sample("visit.charges_posted.json").replaceFirst("\"units\": 1", "\"units\": 1e308");
    assertTrue(body.contains("1e308"));
    assertTrue(pointersOf(body).contains("/data/charges/0/units"), pointersOf(body).toString());
  }
}
