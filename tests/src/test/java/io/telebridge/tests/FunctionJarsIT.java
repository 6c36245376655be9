package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.fhirserver.FhirServer;
import io.telebridge.local.fhirserver.SyntheticCharts;
import io.telebridge.fhir.FhirContexts;
import java.time.Instant;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each function's deployable jar works alone (issue 15 §1: each jar holds only the SDK service modules and
 * libraries its function calls; a module left out by mistake must fail here, not in AWS). For every function
 * of template.yaml, a fresh JVM with only its jar (and {@link FunctionJarProbe}) on the classpath constructs
 * the handler with the environment the local stack resolves for it, calls each AWS service the function uses
 * against the stack's ElasticMQ and moto (the claim checks: a signed S3 put and get), and finds none of the
 * classes it must not carry. The ITs run the functions from the reactor's classpath; this is the one that
 * runs the jars. Needs the jars: {@code mvn package} (the verify phase builds them first).
 */
class FunctionJarsIT {

  private static final String S3 = "software.amazon.awssdk.services.s3.S3Client";
  /** DynamoDB is signed HTTP (telebridge-aws's JSON-protocol client): the SDK module is in no jar. */
  private static final String DYNAMODB = "software.amazon.awssdk.services.dynamodb.DynamoDbClient";
  private static final String SCHEDULER = "software.amazon.awssdk.services.scheduler.SchedulerClient";
  private static final String SECRETS = "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient";
  private static final String MATCHER = "io.telebridge.matching.mpi.MatcherWiring";
  private static final String FHIR = "ca.uhn.fhir.context.FhirContext";
  private static final String SERVICE_METADATA = "software.amazon.awssdk.regions.servicemetadata.SqsServiceMetadata";
  /**
   * No function carries the Lambda event POJOs or joda-time: every function is a stream handler that reads its
   * own bytes (io.telebridge.aws.lambda.LambdaJson); joda-time served only the runtime's SQSEvent serializer.
   */
  private static final String NO_EVENTS = "com.amazonaws.services.lambda.runtime.events.SQSEvent,"
      + "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent,org.joda.time.DateTime";

  private static LocalStack stack;

  @BeforeAll
  static void start() throws java.io.IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "IntakeFunction            | sqs,dynamodb,secretsmanager,s3          | " + S3 + "," + DYNAMODB + "," + SCHEDULER + "," + MATCHER + "," + FHIR + "," + SERVICE_METADATA + "," + NO_EVENTS,
      // the to-ehr jar (also the console's) reads the SMART key of a tenant's FHIR source from Secrets Manager
      "ToEhrTranslatorFunction   | sqs,dynamodb,scheduler,secretsmanager,s3 | " + S3 + "," + DYNAMODB + "," + SERVICE_METADATA + "," + NO_EVENTS,
      "ConsoleFunction           | sqs,dynamodb,secretsmanager             | " + S3 + "," + DYNAMODB + "," + NO_EVENTS,
      "FromEhrTranslatorFunction | sqs,dynamodb                            | " + S3 + "," + DYNAMODB + "," + SCHEDULER + "," + SECRETS + "," + FHIR + "," + NO_EVENTS,
      "PlatformDeliveryFunction  | sqs,dynamodb,secretsmanager             | " + S3 + "," + DYNAMODB + "," + SCHEDULER + "," + MATCHER + "," + FHIR + "," + NO_EVENTS,
      "ContextFunction           | sqs,dynamodb,secretsmanager,scheduler   | " + S3 + "," + DYNAMODB + "," + SERVICE_METADATA + "," + NO_EVENTS,
  })
  void theJarAloneRunsItsAwsPaths(String function, String uses, String absent) throws Exception {
    var spec = stack.function(function).spec();
    Path jar = spec.codeJar();
    assertTrue(jar != null && Files.isRegularFile(jar), function + ": no jar at " + jar + " (mvn package first)");
    Path probe = Path.of(FunctionJarProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", jar + File.pathSeparator + probe, FunctionJarProbe.class.getName(), spec.handlerClassName(),
        "uses=" + uses.strip(), "absent=" + absent.strip()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(stack.functionEnvironment(function));
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), function + ": probe did not finish");
    assertEquals(0, p.exitValue(), function + ":\n" + out);
    assertTrue(out.contains("JARPROBE init " + spec.handlerClassName()), out);
    for (String service : uses.strip().split(",")) {
      assertTrue(out.contains("JARPROBE call " + service + " "), function + " did not call " + service + ":\n" + out);
    }
    for (String cls : absent.strip().split(",")) {
      assertTrue(out.contains("JARPROBE absent " + cls), function + " carries " + cls + ":\n" + out);
    }
    // every SnapStart priming step completes with the jar alone against the local stack (a failed step is
    // skipped at snapshot time, and the path it was to warm is cold after every restore)
    java.util.regex.Matcher primed = java.util.regex.Pattern.compile("JARPROBE primed (\\d+)/(\\d+)").matcher(out);
    assertTrue(primed.find(), function + ": no priming line:\n" + out);
    assertTrue(Integer.parseInt(primed.group(2)) > 0, function + ": registers no priming:\n" + out);
    assertEquals(primed.group(2), primed.group(1), function + ": priming steps failed:\n" + out);
  }

  /** Every resource type the context reader maps or meets in a server's answers, and the visit writer's. */
  private static final String FHIR_TYPES = "Bundle,Patient,Condition,MedicationRequest,MedicationStatement,Medication,"
      + "AllergyIntolerance,Observation,DiagnosticReport,Encounter,DocumentReference,ServiceRequest,ChargeItem,Binary,"
      + "OperationOutcome,Practitioner,Organization,Location,Specimen,Parameters,CapabilityStatement";

  /**
   * The FHIR jars leave out parts of HAPI FHIR's R4 model (shade filters in their poms): the context jar alone
   * builds every kept type's definition, parses a batch-response Bundle of them with a type no function uses
   * (Flag), and reads the seeded chart of MRN 100234 from the local HAPI FHIR JPA server with its own reader.
   */
  /**
   * The translator jars keep only part of some libraries (shade includes in their poms: commons-lang3, commons-text,
   * HAPI's v2.5.1 structures and groups): jdeps, over every class of the jar, finds no reference into those parts
   * that the jar lacks — so a library upgrade that widens what the kept classes use fails here, not on Lambda.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"FromEhrTranslatorFunction", "ToEhrTranslatorFunction"})
  void theTrimmedLibrariesMissNothingTheJarRefersTo(String function) throws Exception {
    Path jar = stack.function(function).spec().codeJar();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
        "-verbose:class", "--multi-release", "21", "-cp", jar.toString(), jar.toString())
        .redirectErrorStream(true).start();
    List<String> lines;
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      lines = in.lines().toList();
    }
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), function + ": jdeps did not finish");
    assertTrue(lines.stream().anyMatch(l -> l.contains("-> org.apache.commons.lang3.")),
        function + ": jdeps saw no use of commons-lang3 (the check could not fail):\n" + String.join("\n", lines.subList(0, Math.min(20, lines.size()))));
    List<String> missing = lines.stream().filter(l -> l.contains("not found"))
        .filter(l -> l.contains("-> org.apache.commons.lang3.") || l.contains("-> org.apache.commons.text.")
            || l.contains("-> ca.uhn.hl7v2.model.v251."))
        .map(String::strip).distinct().toList();
    assertEquals(List.of(), missing, function + ": classes the jar refers to but left out");
  }

  @Test
  void theContextJarAloneParsesEveryTypeAndReadsAChart() throws Exception {
    FhirServer server = FhirServer.shared();
    var seed = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    for (SyntheticCharts.Chart chart : SyntheticCharts.samples(Instant.now())) {
      chart.writeIfAbsent(seed);
    }
    String out = runFhirProbe("ContextFunction", "types=" + FHIR_TYPES, "unexpected=Flag",
        "read=" + server.baseUrl() + "," + SyntheticCharts.MRN_SYSTEM + ",100234");
    assertTrue(out.contains("FHIRPROBE parsed " + FHIR_TYPES + ",Flag"), out);
    assertTrue(out.contains("FHIRPROBE encoded 22 entries"), out);
    assertTrue(out.matches("(?s).*FHIRPROBE read [1-9][0-9]* problems [1-9][0-9]* medications [1-9][0-9]* allergies "
        + "[1-9][0-9]* results.*"), out);
  }

  /** The to-ehr translator's jar alone builds, encodes and parses again every sample visit's Bundles. */
  @Test
  void theToEhrJarAloneEncodesEveryVisitBundle() throws Exception {
    String events = Signed.REPO.resolve("events") + File.separator;
    String out = runFhirProbe("ToEhrTranslatorFunction", "types=" + FHIR_TYPES, "unexpected=Flag",
        "visits=" + events + "visit.note_signed.json," + events + "visit.orders_placed.json," + events
            + "visit.charges_posted.json");
    assertTrue(out.contains("FHIRPROBE parsed " + FHIR_TYPES + ",Flag"), out);
    assertTrue(out.matches("(?s).*FHIRPROBE visit VISIT_NOTE_SIGNED [^\\n]*DocumentReference.*"), out);
    assertTrue(out.matches("(?s).*FHIRPROBE visit VISIT_ORDERS_PLACED [^\\n]*ServiceRequest.*"), out);
    assertTrue(out.matches("(?s).*FHIRPROBE visit VISIT_CHARGES_POSTED [^\\n]*ChargeItem.*"), out);
  }

  private static String runFhirProbe(String function, String... args) throws Exception {
    Path jar = stack.function(function).spec().codeJar();
    assertTrue(jar != null && Files.isRegularFile(jar), function + ": no jar at " + jar + " (mvn package first)");
    Path probe = Path.of(FhirJarProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", jar + File.pathSeparator + probe, FhirJarProbe.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), function + ": probe did not finish");
    assertEquals(0, p.exitValue(), function + ":\n" + out);
    return out;
  }

  /** The v2.5.1 structures the translators' jars keep (their poms' shade filters): what they build and read into. */
  static final String KEPT_STRUCTURES = "ADT_A01,ADT_A05,ADT_A39,SIU_S12,ORU_R01,MDM_T01,MDM_T02,ORM_O01,OML_O21,DFT_P03,ACK";

  /**
   * Every type^trigger the return path reads (ADT A04/A08/A28/A31/A40, SIU S12-S15/S17/S26, ORU R01), the listener
   * passes on, the to-EHR builders write (ADT A01, MDM T01/T02/T08/T10/T11, ORM O01, OML O21, DFT P03) and ACK,
   * each without MSH-9-3 (so HAPI's event map picks the structure) in v2.5.1 and v2.3.
   */
  private static final List<String> ACCEPTED = List.of("ADT^A01", "ADT^A04", "ADT^A08", "ADT^A28", "ADT^A31",
      "ADT^A39", "ADT^A40", "SIU^S12", "SIU^S13", "SIU^S14", "SIU^S15", "SIU^S17", "SIU^S26", "ORU^R01", "MDM^T01",
      "MDM^T02", "MDM^T08", "MDM^T10", "MDM^T11", "ORM^O01", "OML^O21", "DFT^P03", "ACK^A04");

  /**
   * The translators' jars alone read every HL7 fixture of the repository (tests/fixtures: goldens, inbound, mllp)
   * and a message of every accepted type into the same structures, with the same encoding, as the full HAPI
   * v2.5.1 model does in this JVM, and build every kept structure with all its groups; the structures no
   * translator uses are not in the jars.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"FromEhrTranslatorFunction", "ToEhrTranslatorFunction"})
  void theTranslatorJarsReadEveryAcceptedTypeAsTheFullModelDoes(String function, @org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("build=" + KEPT_STRUCTURES, "matcher"));
    try (var files = Files.walk(Signed.REPO.resolve("tests/fixtures"))) {
      files.filter(f -> f.toString().endsWith(".hl7")).sorted().forEach(f -> args.add(f.toString()));
    }
    int fixtures = args.size() - 2;
    assertTrue(fixtures > 50, "the HL7 fixtures: " + fixtures);
    for (String type : ACCEPTED) {
      for (String version : List.of("2.5.1", "2.3")) {
        Path f = tmp.resolve(type.replace('^', '_') + "-" + version + ".hl7");
        Files.writeString(f, "MSH|^~\\&|EHR|CLINIC|TB|TB|20260101120000||" + type + "|c-1|P|" + version + "\r"
            + "EVN|" + type.substring(4) + "|20260101120000\rPID|1||100234^^^CLINIC^MR||DOE^JANE||19800101|F\r"
            + "MSA|AA|c-0\r", StandardCharsets.ISO_8859_1);
        args.add(f.toString());
      }
    }
    List<String> expected = Hl7JarProbe.describe(args);
    for (String version : List.of("2.5.1", "2.3")) {
      assertEquals(ACCEPTED.size(), expected.stream()
          .filter(l -> l.contains("-" + version + ".hl7 inbound ca.uhn.hl7v2.model.v251.message.")).count(),
          "every accepted type has its own structure in the full model (" + version + "):\n" + expected);
    }

    Path jar = stack.function(function).spec().codeJar();
    assertTrue(jar != null && Files.isRegularFile(jar), function + ": no jar at " + jar + " (mvn package first)");
    try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
      for (String kept : KEPT_STRUCTURES.split(",")) {
        assertTrue(zip.getEntry("ca/uhn/hl7v2/model/v251/message/" + kept + ".class") != null, function + " keeps " + kept);
      }
      assertTrue(zip.getEntry("ca/uhn/hl7v2/model/v251/message/RDE_O11.class") == null, function + " drops RDE_O11");
      assertTrue(zip.getEntry("ca/uhn/hl7v2/model/v251/group/RDE_O11_ORDER.class") == null, function + " drops its groups");
    }
    Path probe = Path.of(Hl7JarProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", jar + File.pathSeparator + probe, Hl7JarProbe.class.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), function + ": probe did not finish");
    assertEquals(0, p.exitValue(), function + ":\n" + out);
    List<String> lines = out.lines().filter(l -> l.startsWith("HL7PROBE ")).toList();
    assertEquals(expected, lines, function);
  }
}
