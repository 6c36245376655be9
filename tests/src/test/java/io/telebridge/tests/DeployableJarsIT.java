package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What `sam deploy` ships: each function's CodeUri jar (built by this same Maven run) holds its
 * handler and what the Lambda Java runtime needs on the function's own classpath. The local stack
 * cannot catch a missing class here, because its own classpath is richer than the jar's.
 */
class DeployableJarsIT {

  private static Map<String, String[]> functions() throws IOException {
    String template = Files.readString(Signed.REPO.resolve("template.yaml"));
    Matcher m = Pattern.compile("CodeUri: (\\S+\\.jar)\\s+Handler: ([\\w.]+)::(\\w+)").matcher(template);
    Map<String, String[]> out = new LinkedHashMap<>();
    while (m.find()) {
      out.put(m.group(1), new String[] {m.group(2), m.group(3)});
    }
    return out;
  }

  @Test
  void everyCodeUriJarHoldsItsHandlerAndTheLambdaCoreTypes() throws IOException {
    Map<String, String[]> functions = functions();
    assertFalse(functions.isEmpty(), "template.yaml names jars in CodeUri");
    int checked = 0;
    for (Map.Entry<String, String[]> f : functions.entrySet()) {
      Path jar = Signed.REPO.resolve(f.getKey());
      Path module = jar.getParent().getParent();
      if (!Files.isRegularFile(module.resolve("pom.xml"))) {
        // declared in the template, module brought by another branch: nothing here builds it
        System.err.println("DeployableJarsIT: skipped " + f.getKey() + " (module " + Signed.REPO.relativize(module)
            + " is not in this checkout)");
        continue;
      }
      checked++;
      assertTrue(Files.isRegularFile(jar), "built: " + jar);
      try (JarFile j = new JarFile(jar.toFile())) {
        assertNotNull(j.getEntry(f.getValue()[0].replace('.', '/') + ".class"), f.getKey() + " holds its handler");
        assertNotNull(j.getEntry("com/amazonaws/services/lambda/runtime/RequestStreamHandler.class"), f.getKey());
      }
    }
    assertTrue(checked >= 3, "intake, to-EHR translator and platform delivery at least; checked " + checked);
  }

  @Test
  void noFunctionJarShipsTheEventPojosOrJodaTime() throws IOException {
    // every function reads its own bytes (LambdaJson): the runtime's POJO serializers never run, so neither
    // aws-lambda-java-events nor joda-time (which only the runtime's SQSEvent serializer loaded) is packaged
    for (String jar : List.of("functions/intake/target/intake.jar", "functions/to-ehr-translator/target/to-ehr-translator.jar",
        "functions/from-ehr-translator/target/from-ehr-translator.jar", "functions/platform-delivery/target/platform-delivery.jar",
        "functions/context/target/context.jar")) {
      try (JarFile j = new JarFile(Signed.REPO.resolve(jar).toFile())) {
        assertNull(j.getEntry("org/joda/time/DateTime.class"), jar);
        assertNull(j.getEntry("com/amazonaws/services/lambda/runtime/events/SQSEvent.class"), jar);
        assertNull(j.getEntry("com/amazonaws/services/lambda/runtime/events/APIGatewayV2HTTPEvent.class"), jar);
        assertNotNull(j.getEntry("io/telebridge/aws/lambda/LambdaJson.class"), jar);
      }
    }
  }

  @Test
  void theFromEhrTranslatorJarInitialisesOnItsOwnClasspath() throws Exception {
    // the return path's function is not in template.yaml yet: its jar is checked by path. Loaded with
    // nothing but the jar (and the JDK), its handler's init must find everything (EHR profile YAML,
    // HAPI, the SDK clients) - a test-scoped redeclaration once dropped jackson-dataformat-yaml from it
    Path jar = Signed.REPO.resolve("functions/from-ehr-translator/target/from-ehr-translator.jar");
    assertTrue(Files.isRegularFile(jar), "built: " + jar);
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> handler = loader.loadClass("io.telebridge.fromehr.FromEhrTranslatorHandler");
      Object instance = handler.getConstructor(Map.class).newInstance(Map.of(
          "FROM_EHR_DLQ_URL", "http://127.0.0.1:9/dlq.fifo", "TO_PLATFORM_QUEUE_URL", "http://127.0.0.1:9/p.fifo",
          "APPOINTMENTS_TABLE", "a", "IDENTITY_TABLE", "i", "TENANT", "demo-clinic",
          "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y",
          "AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
      assertNotNull(instance);
    }
  }
}
