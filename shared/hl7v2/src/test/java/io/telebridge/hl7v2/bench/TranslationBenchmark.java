package io.telebridge.hl7v2.bench;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.hl7v2.OutboundHl7;
import io.telebridge.hl7v2.SchedulingMessages;
import io.telebridge.json.PlatformEventReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU per booking → HL7 translation: a new patient's {@code appointment.booked} becomes ADT^A04 +
 * SIU^S12 (encoded ER7), with and without reading the webhook JSON first. Single-threaded: the
 * figure is CPU time per booking on one core. Run it as the bench profile in pom.xml says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class TranslationBenchmark {

  private byte[] body;
  private PlatformEvent event;
  private List<Identifier> pid3;
  private PlatformEventReader reader;
  private SchedulingMessages messages;

  @Setup
  public void setUp() throws IOException {
    Path events = Path.of(System.getProperty("telebridge.events.dir", "../../events"));
    body = Files.readAllBytes(events.resolve("appointment.booked.json"));
    reader = new PlatformEventReader();
    event = reader.read(body);
    EhrProfile profile = EhrProfile.fromClasspath("ehr-profiles/generic-epic-like.yaml");
    pid3 = List.of(profile.platformIdentifier(event.patient().platformPatientId()));
    messages = new SchedulingMessages(profile, "prod", Clock.systemUTC());
  }

  /** Canonical event → ADT^A04 + SIU^S12 ER7 (what the translator does per new-patient booking). */
  @Benchmark
  public List<OutboundHl7> bookingToAdtAndSiu() {
    return messages.forEvent(event, pid3, true);
  }

  /** Webhook JSON bytes → canonical event → ADT^A04 + SIU^S12 ER7. */
  @Benchmark
  public List<OutboundHl7> webhookJsonToAdtAndSiu() {
    return messages.forEvent(reader.read(body), pid3, true);
  }

  /** A known patient's booking: SIU^S12 alone. */
  @Benchmark
  public List<OutboundHl7> bookingToSiuOnly() {
    return messages.forEvent(event, pid3, false);
  }
}
