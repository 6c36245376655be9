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
 * CPU per visit note → FHIR R4 (issue 12 §5), beside {@code VisitTranslationBenchmark}'s note → MDM^T02: a
 * signed note of {@code noteBytes} of text (the sample's five lines repeated) → the transaction Bundle of
 * {@link R4VisitBundles} (Encounter + DocumentReference; above the profile's 64 KiB inline limit the text goes
 * as a Binary entry) → JSON, as {@code FhirChartWriter} sends it; and the sample charge → Bundle → JSON.
 * Single-threaded, no I/O. Run it as the bench profile in shared/fhir/pom.xml says.
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
    List<Identifier> ids = List.of(new Identifier("E1001", "EPI", "MR"));
    note = new VisitRecord(sample.tenant(), sample.eventId(), sample.type(), sample.occurredAt(),
        sample.patient().platformPatientId(), ids,
        new Visit(sample.visit().id(), sample.visit().appointmentId(), big, null, null));
    charges = VisitRecord.of(reader.read(Files.readAllBytes(events.resolve("visit.charges_posted.json"))), ids);
    bundles = new R4VisitBundles(EhrProfile.named("generic-epic-like-fhir").visitRecordProfile(),
        "https://fhir.example.org/r4");
    json = FhirContexts.r4().newJsonParser();
  }

  /** A signed note of {@code noteBytes} → its transaction Bundle → JSON. */
  @Benchmark
  public String noteToFhirBundle() {
    Bundle b = bundles.transactions(note, "Patient/1", List.of()).getFirst();
    return json.encodeResourceToString(b);
  }

  /** The sample charge (99204-95, two ICD-10 codes) → Bundle (Encounter + ChargeItem) → JSON. */
  @Benchmark
  public String chargeToFhirBundle() {
    return json.encodeResourceToString(bundles.transactions(charges, "Patient/1", List.of()).getFirst());
  }
}
