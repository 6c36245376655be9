package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.json.PlatformEventReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test inputs: the events/ samples, the extra inputs beside the golden files, two profiles, a fixed clock. */
final class Samples {

  static final Path EVENTS = Path.of(System.getProperty("telebridge.events.dir", "../../events"));
  static final Path FIXTURES = Path.of(System.getProperty("telebridge.hl7v2.fixtures.dir", "../../tests/fixtures/hl7v2"));

  /** 2025-11-24T16:00:00Z, the timestamp the signed samples carry. */
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_764_000_000L), ZoneOffset.UTC);

  static final EhrProfile EPIC_LIKE = EhrProfile.fromClasspath("ehr-profiles/generic-epic-like.yaml");
  static final EhrProfile COMMUNITY = EhrProfile.fromClasspath("ehr-profiles/community-clinic-ehr.json");

  /** The EHR MRN the golden files use for a known patient. */
  static final String MRN = "100234";

  private static final PlatformEventReader READER = new PlatformEventReader();

  private Samples() {}

  /** A sample by path relative to events/ (e.g. {@code appointment.booked.json}) or {@code inputs/...} under the fixtures. */
  static PlatformEvent event(String name) {
    Path file = name.startsWith("inputs/") ? FIXTURES.resolve(name) : EVENTS.resolve(name);
    try {
      return READER.read(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PID-3 of a known patient: the EHR MRN, then the platform id. */
  static List<Identifier> knownPatient(EhrProfile profile, PlatformEvent event) {
    return List.of(profile.mrn(MRN), profile.platformIdentifier(event.patient().platformPatientId()));
  }

  /** PID-3 of a new patient: the platform id only. */
  static List<Identifier> newPatient(EhrProfile profile, PlatformEvent event) {
    return List.of(profile.platformIdentifier(event.patient().platformPatientId()));
  }

  /** LF-stored text as HL7 (CR-separated) and back. */
  static String fromFile(String stored) {
    return stored.replace("\r\n", "\n").replace('\n', '\r');
  }

  static String toFile(String er7) {
    return er7.replace('\r', '\n');
  }
}
