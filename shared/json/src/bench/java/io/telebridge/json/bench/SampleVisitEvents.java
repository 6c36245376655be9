package io.telebridge.json.bench;

import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitNote;
import io.telebridge.json.PlatformEventReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one fixture of the visit benchmarks (shared/hl7v2's {@code VisitTranslationBenchmark}, shared/fhir's
 * {@code VisitBundleBenchmark}): the repository's sample visit events, the signed note's text grown to a given
 * size, so note → MDM^T02 and note → FHIR Bundle are measured on the same note. Compiled into those modules'
 * test classes by their bench profiles only (never part of a jar). The events directory is
 * {@code -Dtelebridge.events.dir}, else {@code ../../events} (a module directory under shared/).
 */
public final class SampleVisitEvents {

  private final Path events = Path.of(System.getProperty("telebridge.events.dir", "../../events"));
  private final PlatformEventReader reader = new PlatformEventReader();

  /** A sample event, by file name under events/. */
  public PlatformEvent read(String file) throws IOException {
    return reader.read(Files.readAllBytes(events.resolve(file)));
  }

  /**
   * The sample {@code visit.note_signed} event, its note's text the sample's lines repeated to exactly
   * {@code noteBytes} characters (no PDF).
   */
  public PlatformEvent noteSigned(int noteBytes) throws IOException {
    PlatformEvent sample = read("visit.note_signed.json");
    VisitNote n = sample.visit().note();
    StringBuilder text = new StringBuilder(noteBytes + 200);
    while (text.length() < noteBytes) {
      text.append(n.content()).append('\n');
    }
    text.setLength(noteBytes);
    VisitNote big = new VisitNote(n.id(), n.type(), n.title(), n.contentType(), text.toString(), null, n.signedAt(),
        n.author(), n.status(), n.version());
    return new PlatformEvent(sample.eventId(), sample.type(), sample.occurredAt(), sample.tenant(), sample.patient(),
        null, null, null, null, null, new Visit(sample.visit().id(), sample.visit().appointmentId(), big, null, null));
  }

  /** The sample {@code visit.charges_posted} event (99204-95, two ICD-10 codes). */
  public PlatformEvent chargesPosted() throws IOException {
    return read("visit.charges_posted.json");
  }
}
