package io.telebridge.fhir.bench;

import ca.uhn.fhir.parser.IParser;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.model.Identifier;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.R4VisitBundles;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.json.bench.SampleVisitEvents;
import java.io.IOException;
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
 * as a Binary entry) → JSON, as {@code FhirChartWriter} sends it; and the sample charge → Bundle → JSON. The
 * note and charge come from {@link SampleVisitEvents}, as {@code VisitTranslationBenchmark}'s.
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
    SampleVisitEvents samples = new SampleVisitEvents();
    List<Identifier> ids = List.of(new Identifier("E1001", "EPI", "MR"));
    note = VisitRecord.of(samples.noteSigned(noteBytes), ids);
    charges = VisitRecord.of(samples.chargesPosted(), ids);
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
