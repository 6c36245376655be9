package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Smoke test of what {@code ./tb local} runs: the project's own template.yaml with the real
 * functions on the classpath. Every function must load, and a signed sample webhook must be
 * accepted by the intake function and land on the intake queue.
 */
class ProjectTemplateTest {

  @Test
  void theProjectTemplateStartsWithEveryFunctionLoadedAndAcceptsASignedSample() throws Exception {
    Path root = RepoRoot.find(Path.of("")).orElseThrow();
    // the intake queue's consumer stays off so the accepted event can be seen waiting there
    try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(root.resolve("template.yaml"))
        .disableEventSources("ToEhrTranslatorFunction"))) {
      for (var fn : stack.functions()) {
        assertTrue(fn.isLoadable(), fn.logicalId() + ": " + fn.problem());
        assertTrue(fn.usesEnvironmentConstructor(), fn.logicalId() + " has the (Map<String, String>) constructor");
      }
      assertTrue(stack.warnings().isEmpty(), stack.warnings().toString());

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = Cli.run(new String[] {"send", root.resolve("events/appointment.booked.json").toString(),
          "--url", stack.apiUrl("/v1/events").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      assertEquals(0, code, out.toString(StandardCharsets.UTF_8));

      String intake = stack.mainQueue().orElseThrow();
      List<Message> queued = stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl(intake)).waitTimeSeconds(2)
          .messageAttributeNames("All")).messages();
      assertEquals(1, queued.size(), "the accepted event is on " + intake);
    }
  }
}
