package io.telebridge.hl7v2.bench;

import io.telebridge.core.fromehr.AppointmentState;
import io.telebridge.core.fromehr.AppointmentStates;
import io.telebridge.core.fromehr.ConflictPolicy;
import io.telebridge.core.fromehr.FromEhrMessage;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.fromehr.TranslateFromEhr;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.hl7v2.Hl7Text;
import java.nio.charset.StandardCharsets;
import io.telebridge.json.OutboundEventWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * CPU per ORU^R01 → result event JSON (the from-EHR translator's work per result message, without
 * the queue and the table): HL7 text as received (LF endings) → {@link FromEhrReader} (HAPI parse
 * on the inbound context) → {@link TranslateFromEhr} (one linked platform patient, an in-memory
 * index) → {@link OutboundEventWriter} JSON. Single-threaded. Run it as the bench profile in
 * pom.xml says, with {@code ResultTranslationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ResultTranslationBenchmark {

  private String labPanel;
  private String pdfReport;
  private FromEhrReader reader;
  private TranslateFromEhr translate;
  private final List<String> out = new ArrayList<>();

  @Setup
  public void setUp() throws IOException {
    Path dir = Path.of(System.getProperty("telebridge.hl7v2.fixtures.dir", "../../tests/fixtures/hl7v2")).resolve("inbound");
    labPanel = Hl7Text.decode(Files.readAllBytes(dir.resolve("oru-r01.v251.epic-like.hl7")), StandardCharsets.UTF_8);
    pdfReport = Hl7Text.decode(Files.readAllBytes(dir.resolve("oru-r01.v251.ed-pdf.hl7")), StandardCharsets.UTF_8);
    reader = new FromEhrReader("TELEHEALTH", ZoneOffset.UTC);
    OutboundEventWriter writer = new OutboundEventWriter();
    EhrPatientIndex index = new EhrPatientIndex() {
      @Override
      public List<String> upsert(String tenant, EhrPatient patient) {
        return List.of("pat-1001");
      }

      @Override
      public List<String> merge(String tenant, Identifier survivor, Identifier prior) {
        return List.of("pat-1001");
      }

      @Override
      public List<String> platformPatientsOf(String tenant, Identifier mrn) {
        return List.of("pat-1001");
      }
    };
    AppointmentStates none = new AppointmentStates() {
      @Override
      public Optional<AppointmentState> load(String tenant, String key) {
        return Optional.empty();
      }

      @Override
      public boolean save(AppointmentState next, long expectedVersion) {
        return true;
      }
    };
    translate = new TranslateFromEhr("demo-clinic", index, new ReconcileAppointment(none, ConflictPolicy.ehrWins()),
        event -> {
          out.clear();
          out.add(writer.write(event));
        }, (metric, value, properties) -> { }, Clock.system(ZoneOffset.UTC));
    java.util.logging.Logger.getLogger(TranslateFromEhr.class.getName()).setLevel(java.util.logging.Level.WARNING);
  }

  /** A 6-OBX lab panel (NM, SN, CWE, ST, NTEs, a Z-segment): HL7 text → result event JSON. */
  @Benchmark
  public List<String> labPanelToResultJson() {
    translate.translate(reader.read(labPanel));
    return out;
  }

  /** The same message, HL7 text → core model only (HAPI parse and reading). */
  @Benchmark
  public FromEhrMessage labPanelParseOnly() {
    return reader.read(labPanel);
  }

  /** A report with an embedded PDF (ED, base64) and an NM: HL7 text → result event JSON. */
  @Benchmark
  public List<String> pdfReportToResultJson() {
    translate.translate(reader.read(pdfReport));
    return out;
  }
}
