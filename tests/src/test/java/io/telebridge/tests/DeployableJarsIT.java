package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        assertNotNull(j.getEntry("com/amazonaws/services/lambda/runtime/RequestHandler.class"), f.getKey());
      }
    }
    assertTrue(checked >= 3, "intake, to-EHR translator and platform delivery at least; checked " + checked);
  }

  @Test
  void queueTriggeredFunctionsShipJodaTimeForTheRuntimesSqsEventSerializer() throws IOException {
    String template = Files.readString(Signed.REPO.resolve("template.yaml"));
    // the runtime's SQSEvent deserializer loads org.joda.time.DateTime from the function's jar
    try (JarFile j = new JarFile(Signed.REPO.resolve("functions/to-ehr-translator/target/to-ehr-translator.jar").toFile())) {
      assertTrue(template.contains("io.telebridge.toehr.ToEhrTranslatorHandler"));
      assertNotNull(j.getEntry("org/joda/time/DateTime.class"));
      assertNotNull(j.getEntry("com/amazonaws/services/lambda/runtime/events/SQSEvent.class"));
      assertNotNull(j.getEntry("com/amazonaws/services/lambda/runtime/events/SQSBatchResponse.class"));
    }
    try (JarFile j = new JarFile(Signed.REPO.resolve("functions/platform-delivery/target/platform-delivery.jar").toFile())) {
      assertTrue(template.contains("io.telebridge.delivery.PlatformDeliveryHandler"));
      assertNotNull(j.getEntry("org/joda/time/DateTime.class"));
      assertNotNull(j.getEntry("com/amazonaws/services/lambda/runtime/events/SQSEvent.class"));
      assertNotNull(j.getEntry("com/amazonaws/services/lambda/runtime/events/SQSBatchResponse.class"));
    }
  }
}
