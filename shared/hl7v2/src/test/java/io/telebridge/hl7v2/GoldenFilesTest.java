package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.telebridge.core.model.PlatformEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scheduling/registration sample → its expected HL7, per profile, under
 * {@code tests/fixtures/hl7v2/<MESSAGE_TYPE>/<sample>[.<profile>].hl7} (LF on disk, CR in HL7).
 * Run with {@code -Dgolden.update=true} to rewrite them, then review the diff.
 */
class GoldenFilesTest {

  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  /** Sample, whether the identity store knows the patient. */
  record Case(String sample, boolean patientIsNew) {
    String baseName() {
      String file = Path.of(sample).getFileName().toString();
      return file.substring(0, file.length() - ".json".length());
    }
  }

  static final List<Case> CASES = List.of(
      new Case("patient.registered.json", true),
      new Case("edge/patient.registered.escaping.json", true),
      new Case("patient.updated.json", false),
      new Case("appointment.booked.json", true),
      new Case("appointment.rescheduled.json", false),
      new Case("appointment.cancelled.json", false),
      new Case("appointment.no_show.json", false),
      new Case("inputs/appointment.modified.json", false),
      new Case("inputs/appointment.booked.escaping.json", true),
      // after the visit (issue 12): the note, its amendment and retraction, a PDF, escaping; orders and a
      // cancellation; charges and a reversal
      new Case("visit.note_signed.json", false),
      new Case("edge/visit.note_signed.amended.json", false),
      new Case("edge/visit.note_signed.retracted.json", false),
      new Case("edge/visit.note_signed.pdf.json", false),
      new Case("edge/visit.note_signed.escaping.json", false),
      new Case("visit.orders_placed.json", false),
      new Case("edge/visit.orders_placed.cancelled.json", false),
      new Case("visit.charges_posted.json", false),
      new Case("edge/visit.charges_posted.reversal.json", false));

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Case c : CASES) {
      all.add(Arguments.of(c, Samples.EPIC_LIKE, "prod", ""));
      all.add(Arguments.of(c, Samples.COMMUNITY, "dev", "." + Samples.COMMUNITY.id()));
    }
    return all.stream();
  }

  static List<OutboundHl7> translate(Case c, EhrProfile profile, String environment) {
    PlatformEvent event = Samples.event(c.sample());
    var pid3 = c.patientIsNew() ? Samples.newPatient(profile, event) : Samples.knownPatient(profile, event);
    return new EhrMessages(profile, environment, Samples.CLOCK).forEvent(event, pid3, c.patientIsNew());
  }

  /** The golden file of each message of a case: a second message of the same type (one OML^O21 per order) gets {@code .2}, ... */
  static List<Path> goldenFiles(List<OutboundHl7> messages, Case c, String suffix) {
    List<Path> files = new ArrayList<>();
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    for (OutboundHl7 message : messages) {
      int n = seen.merge(message.messageType(), 1, Integer::sum);
      files.add(Samples.FIXTURES.resolve(message.messageType().replace('^', '_'))
          .resolve(c.baseName() + (n > 1 ? "." + n : "") + suffix + ".hl7"));
    }
    return files;
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("cases")
  void everySampleTranslatesToItsGoldenHl7(Case c, EhrProfile profile, String environment, String suffix) throws IOException {
    List<OutboundHl7> messages = translate(c, profile, environment);
    assertTrue(!messages.isEmpty());
    List<Path> files = goldenFiles(messages, c, suffix);
    for (int i = 0; i < messages.size(); i++) {
      OutboundHl7 message = messages.get(i);
      Path golden = files.get(i);
      if (UPDATE) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, Samples.toFile(message.payload()), StandardCharsets.UTF_8);
        continue;
      }
      if (!Files.exists(golden)) {
        fail("no golden file " + Samples.FIXTURES.relativize(golden) + ": run mvn test -Dgolden.update=true and review the diff");
      }
      // compared as stored (LF) so that a failure prints readable lines
      String expected = Samples.toFile(Samples.fromFile(Files.readString(golden, StandardCharsets.UTF_8)));
      assertEquals(expected, Samples.toFile(message.payload()), "golden file " + Samples.FIXTURES.relativize(golden)
          + " differs (if the change is intended: -Dgolden.update=true and review the diff)");
    }
  }

  @Test
  void everyGoldenFileBelongsToACase() throws IOException {
    Set<Path> expected = new HashSet<>();
    cases().forEach(args -> {
      Object[] a = args.get();
      for (Path p : goldenFiles(translate((Case) a[0], (EhrProfile) a[1], (String) a[2]), (Case) a[0], (String) a[3])) {
        expected.add(p.normalize());
      }
    });
    try (Stream<Path> files = Files.walk(Samples.FIXTURES)) {
      List<Path> orphans = files.filter(f -> f.toString().endsWith(".hl7"))
          .map(Path::normalize)
          // inbound/: what EHRs send (FromEhrReaderTest reads every one), not output of the builders
          .filter(f -> !f.startsWith(Samples.FIXTURES.resolve("inbound").normalize()))
          .filter(f -> !expected.contains(f))
          .toList();
      assertEquals(List.of(), orphans, "golden files no case produces: delete them or add their case");
    }
  }

  /**
   * The golden files themselves, as checked in (not what the builders emit now): every outbound one parses with
   * HAPI's validation on into the structure of its folder's message type and re-encodes to itself — and every
   * message type of the visit (MDM T02/T08/T10/T11, ORM and OML new and cancelled, DFT charge and reversal) has one.
   */
  @Test
  void everyGoldenFileOnDiskParsesWithHapiValidationOn() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Samples.FIXTURES)) {
      files = walk.filter(f -> f.toString().endsWith(".hl7"))
          .filter(f -> !f.normalize().startsWith(Samples.FIXTURES.resolve("inbound").normalize()))
          .sorted().toList();
    }
    Set<String> seen = new HashSet<>();
    for (Path f : files) {
      String folder = f.getParent().getFileName().toString();
      MessageKind kind = java.util.Arrays.stream(MessageKind.values())
          .filter(k -> k.messageType().replace('^', '_').equals(folder)).findFirst()
          .orElseThrow(() -> new AssertionError("a golden file outside a message type's folder: " + f));
      String payload = Samples.fromFile(Files.readString(f, StandardCharsets.UTF_8));
      var parsed = StrictHl7.parser().parse(payload);
      assertEquals(kind.structure(), parsed.getName(), f.toString());
      assertEquals(payload, StrictHl7.parser().encode(parsed), f + " re-encodes to itself");
      seen.add(folder + ":" + f.getFileName());
    }
    for (String needed : List.of("MDM_T02:visit.note_signed.hl7", "MDM_T08:visit.note_signed.amended.hl7",
        "MDM_T10:visit.note_signed.amended.community-clinic-ehr.hl7", "MDM_T11:visit.note_signed.retracted.hl7",
        "ORM_O01:visit.orders_placed.hl7", "ORM_O01:visit.orders_placed.cancelled.hl7",
        "OML_O21:visit.orders_placed.community-clinic-ehr.hl7",
        "OML_O21:visit.orders_placed.cancelled.community-clinic-ehr.hl7", "DFT_P03:visit.charges_posted.hl7",
        "DFT_P03:visit.charges_posted.reversal.hl7")) {
      assertTrue(seen.contains(needed), "no golden file " + needed);
    }
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("cases")
  void everyEmittedMessageParsesBackWithHapiValidationOnAndReEncodesIdentically(Case c, EhrProfile profile,
      String environment, String suffix) throws Exception {
    for (OutboundHl7 message : translate(c, profile, environment)) {
      var parsed = StrictHl7.parser().parse(message.payload());
      assertEquals(message.payload(), StrictHl7.parser().encode(parsed));
      MessageKind kind = java.util.Arrays.stream(MessageKind.values())
          .filter(k -> k.messageType().equals(message.messageType())).findFirst().orElseThrow();
      assertEquals(kind.structure(), parsed.getName(), "HAPI's structure of " + message.messageType());
    }
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("cases")
  void everyEmittedMessageParsesBackStrictlyAndReEncodesIdentically(Case c, EhrProfile profile, String environment, String suffix)
      throws Exception {
    for (OutboundHl7 message : translate(c, profile, environment)) {
      var parsed = StrictHl7.parser().parse(message.payload());
      assertEquals(message.payload(), StrictHl7.parser().encode(parsed));
      assertEquals(message.controlId(), new ca.uhn.hl7v2.util.Terser(parsed).get("/MSH-10"));
    }
  }
}
