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
      "IntakeFunction            | sqs,dynamodb,secretsmanager,s3          | " + S3 + "," + DYNAMODB + "," + SCHEDULER + "," + MATCHER + "," + FHIR + "," + SERVICE_METADATA,
      // the to-ehr jar (also the console's) reads the SMART key of a tenant's FHIR source from Secrets Manager
      "ToEhrTranslatorFunction   | sqs,dynamodb,scheduler,secretsmanager,s3 | " + S3 + "," + DYNAMODB + "," + SERVICE_METADATA,
      "ConsoleFunction           | sqs,dynamodb,secretsmanager             | " + S3 + "," + DYNAMODB,
      "FromEhrTranslatorFunction | sqs,dynamodb                            | " + S3 + "," + DYNAMODB + "," + SCHEDULER + "," + SECRETS + "," + FHIR,
      "PlatformDeliveryFunction  | sqs,dynamodb,secretsmanager             | " + S3 + "," + DYNAMODB + "," + SCHEDULER + "," + MATCHER + "," + FHIR,
      "ContextFunction           | sqs,dynamodb,secretsmanager,scheduler   | " + S3 + "," + DYNAMODB + "," + SERVICE_METADATA,
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
}
