package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
      "IntakeFunction            | sqs,dynamodb,secretsmanager,s3          | " + S3 + "," + SCHEDULER + "," + MATCHER + "," + FHIR + "," + SERVICE_METADATA,
      "ToEhrTranslatorFunction   | sqs,dynamodb,scheduler,secretsmanager,s3 | " + S3 + "," + SERVICE_METADATA,
      "ConsoleFunction           | sqs,dynamodb,secretsmanager             | " + S3,
      "FromEhrTranslatorFunction | sqs,dynamodb                            | " + S3 + "," + SCHEDULER + "," + SECRETS + "," + FHIR,
      "PlatformDeliveryFunction  | sqs,dynamodb,secretsmanager             | " + S3 + "," + SCHEDULER + "," + MATCHER + "," + FHIR,
      "ContextFunction           | sqs,dynamodb,secretsmanager,scheduler   | " + S3 + "," + SERVICE_METADATA,
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
}
