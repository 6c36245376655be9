package io.telebridge.mllp;

import static io.telebridge.mllp.BridgeHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.mllp.sim.Answer;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.SimRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: {@link BridgeMain} in its own JVM, configured only by environment variables,
 * stopped with SIGTERM (Process.destroy() on Linux) as ECS stops a task.
 */
class BridgeSigtermTest {

  @Test
  void finishesTheMessageInFlightOnSigtermAndReturnsTheRestToTheQueue(@TempDir Path dir) throws Exception {
    try (LocalSqs sqs = LocalSqs.start(); EhrSimulator ehr = EhrSimulator.builder().start()) {
      LocalSqs.Queues queues = sqs.createToEhrQueues(50);
      ehr.addRule(SimRule.answer(Answer.AA).delay(Duration.ofMillis(2_000)).forControlId("T-1"));
      for (int i = 1; i <= 3; i++) {
        sqs.sendHl7(queues.queueUrl(), "PAT-T", "T-" + i, "SIU^S12", Hl7Samples.siuS12("T-" + i, "PAT-T"));
      }
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), BridgeMain.class.getName());
      Map<String, String> env = pb.environment();
      env.clear();
      env.putAll(sqs.awsEnvironment());
      env.putAll(Map.of("TO_EHR_QUEUE_URL", queues.queueUrl(), "TO_EHR_DLQ_URL", queues.deadLetterQueueUrl(),
          "EHR_HOST", "127.0.0.1", "EHR_PORT", Integer.toString(ehr.port()), "POLL_WAIT_SECONDS", "1",
          "HEALTH_HOST", "127.0.0.1", "HEALTH_PORT", "0", "ACK_TIMEOUT_MS", "5000", "DRAIN_TIMEOUT_SECONDS", "8"));
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      Process bridge = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try {
        assertTrue(ehr.awaitCount(1, Duration.ofSeconds(30)), "the bridge sent its first message");
        long sigterm = System.nanoTime();
        bridge.destroy(); // SIGTERM
        assertTrue(bridge.waitFor(15, TimeUnit.SECONDS), "exited within the drain timeout");
        long tookMs = (System.nanoTime() - sigterm) / 1_000_000;
        assertTrue(tookMs < 8_000, "drained in " + tookMs + " ms");
        assertEquals(143, bridge.exitValue(), "the JVM's exit status for SIGTERM");
      } finally {
        bridge.destroyForcibly();
      }

      assertEquals(List.of("T-1"), ehr.controlIds(), "the message in flight was finished; nothing new was sent");
      await("the other two back on the queue", Duration.ofSeconds(10), () -> sqs.visible(queues.queueUrl()) == 2);
      assertEquals(2, sqs.depth(queues.queueUrl()), "T-1 was ACKed and deleted");

      List<String> stdout = Files.readAllLines(out);
      assertTrue(stdout.stream().anyMatch(l -> l.contains("\"_aws\"") && l.contains("\"acked\":1")),
          "an EMF line on stdout: " + stdout);
      List<String> stderr = Files.readAllLines(err);
      assertTrue(stderr.stream().anyMatch(l -> l.contains("SIGTERM")), String.join("\n", stderr));
      for (String line : stderr) {
        if (line.startsWith("WARNING: ")) {
          continue; // the JVM's own warnings (e.g. sun.misc.Unsafe on JDK 24+) are not ours
        }
        assertTrue(line.startsWith("{\"time\":"), "a JSON log line: " + line);
        assertFalse(line.contains(Hl7Samples.FAMILY_NAME), "no message content in logs: " + line);
      }
    }
  }
}
