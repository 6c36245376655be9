package io.telebridge.fhir.bench;

import ca.uhn.fhir.parser.IParser;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitNote;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.R4VisitBundles;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.json.PlatformEventReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU per signed note → FHIR R4 transaction Bundle JSON (issue 12 §5, issue 15 §4), beside the MDM^T02
 * benchmark of shared/hl7v2 ({@code VisitTranslationBenchmark}, same note sizes and text): the sample
 * note with its text repeated to {@code noteBytes} → {@link VisitRecord} → {@link R4VisitBundles}
 * (profile generic-epic-like-fhir; a first write, no stored versions) → JSON with the process's one
 * FhirContext. No I/O. Single-threaded. Run it as the bench profile in this module's pom.xml says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class VisitBundleBenchmark {

  @Param({"2048", "204800"})
  public int noteBytes;

  private VisitRecord note;
  private VisitRecord charges;
  private R4VisitBundles bundles;
  private IParser json;

  @Setup
  public void setUp() throws IOException {
    Path events = Path.of(System.getProperty("telebridge.events.dir", "../../events"));
    PlatformEventReader reader = new PlatformEventReader();
    PlatformEvent sample = reader.read(Files.readAllBytes(events.resolve("visit.note_signed.json")));
    VisitNote n = sample.visit().note();
    StringBuilder text = new StringBuilder(noteBytes + 200);
    while (text.length() < noteBytes) {
      text.append(n.content()).append('\n');
    }
    text.setLength(noteBytes);
    VisitNote big = new VisitNote(n.id(), n.type(), n.title(), n.contentType(), text.toString(), null, n.signedAt(),
        n.author(), n.status(), n.version());
    PlatformEvent event = new PlatformEvent(sample.eventId(), sample.type(), sample.occurredAt(), sample.tenant(),
        sample.patient(), null, null, null, null, null, new Visit(sample.visit().id(), sample.visit().appointmentId(), big,
        null, null));
    List<Identifier> mrn = List.of(new Identifier("E1001", "EPI", "MR"), new Identifier("pat-1001", "TELEHEALTH", "PI"));
    note = VisitRecord.of(event, mrn);
    charges = VisitRecord.of(reader.read(Files.readAllBytes(events.resolve("visit.charges_posted.json"))), mrn);
    bundles = new R4VisitBundles(EhrProfile.named("generic-epic-like-fhir").visitRecordProfile(),
        "https://fhir.example.org/r4");
    json = FhirContexts.r4().newJsonParser();
  }

  /** A signed note of {@code noteBytes} → its transaction Bundle(s) (Encounter + DocumentReference) → JSON. */
  @Benchmark
  public List<String> noteToBundleJson() {
    return json(note);
  }

  /** The sample charge → its transaction Bundle (Encounter + ChargeItems) → JSON; independent of {@code noteBytes}. */
  @Benchmark
  public List<String> chargeToBundleJson() {
    return json(charges);
  }

  private List<String> json(VisitRecord r) {
    List<String> out = new ArrayList<>(1);
    for (Bundle b : bundles.transactions(r, "Patient/example-1", List.of())) {
      out.add(json.encodeResourceToString(b));
    }
    return out;
  }
}
