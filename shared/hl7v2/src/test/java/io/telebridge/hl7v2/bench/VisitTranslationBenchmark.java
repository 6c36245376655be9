package io.telebridge.hl7v2.bench;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.hl7v2.OutboundHl7;
import io.telebridge.hl7v2.VisitMessages;
import io.telebridge.json.bench.SampleVisitEvents;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * CPU per visit event → HL7 (issue 12): a signed note of {@code noteBytes} of text (the sample's five
 * lines repeated, about 60 bytes a line: 2 KB ≈ 35 OBX, 200 KB ≈ 3,400 OBX) → MDM^T02, and the
 * sample charge → DFT^P03, for a known patient (no registration), encoded ER7; the note and charge from
 * {@link SampleVisitEvents}, as {@code VisitBundleBenchmark}'s (shared/fhir). Single-threaded. Run it as the
 * bench profile in pom.xml says, with {@code VisitTranslationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class VisitTranslationBenchmark {

  @Param({"2048", "204800"})
  public int noteBytes;

  private PlatformEvent note;
  private PlatformEvent charges;
  private List<Identifier> pid3;
  private VisitMessages messages;

  @Setup
  public void setUp() throws IOException {
    SampleVisitEvents samples = new SampleVisitEvents();
    note = samples.noteSigned(noteBytes);
    charges = samples.chargesPosted();
    EhrProfile profile = EhrProfile.fromClasspath("ehr-profiles/generic-epic-like.yaml");
    pid3 = List.of(profile.mrn("100234"), profile.platformIdentifier(note.patient().platformPatientId()));
    messages = new VisitMessages(profile, "prod", Clock.systemUTC());
  }

  /** A signed note of {@code noteBytes} → MDM^T02 (one TX OBX per line). */
  @Benchmark
  public List<OutboundHl7> noteToMdmT02() {
    return messages.forEvent(note, pid3, false);
  }

  /** The sample charge (99204-95, two ICD-10 codes) → DFT^P03; independent of {@code noteBytes}. */
  @Benchmark
  public List<OutboundHl7> chargeToDftP03() {
    return messages.forEvent(charges, pid3, false);
  }
}
