package io.telebridge.mllp;

import static org.junit.jupiter.api.Assertions.fail;

import io.telebridge.core.log.JsonLines;
import io.telebridge.mllp.bridge.BridgeConfig;
import io.telebridge.mllp.bridge.EmfMetrics;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One test's world: its own queues on the class's ElasticMQ, a simulator, a bridge, captured logs and metrics. */
final class BridgeHarness implements AutoCloseable {

  final LocalSqs sqs;
  final LocalSqs.Queues queues;
  final EhrSimulator ehr;
  final List<String> metrics = Collections.synchronizedList(new ArrayList<>());
  final List<String> logs = Collections.synchronizedList(new ArrayList<>());
  private final Handler capture;
  MllpBridgeService bridge;

  BridgeHarness(LocalSqs sqs, EhrSimulator ehr) {
    this.sqs = sqs;
    this.ehr = ehr;
    this.queues = sqs.createToEhrQueues(50);
    JsonLines formatter = new JsonLines();
    this.capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logs.add(formatter.format(record));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    Logger.getLogger("io.telebridge").addHandler(capture);
  }

  /** Fast settings for tests; each can be overridden. */
  Map<String, String> environment(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(sqs.awsEnvironment());
    env.put("TO_EHR_QUEUE_URL", queues.queueUrl());
    env.put("TO_EHR_DLQ_URL", queues.deadLetterQueueUrl());
    env.put("EHR_HOST", "127.0.0.1");
    env.put("EHR_PORT", Integer.toString(ehr.port()));
    env.put("POLL_WAIT_SECONDS", "1");
    env.put("ACK_TIMEOUT_MS", "2000");
    env.put("VISIBILITY_TIMEOUT_SECONDS", "30");
    env.put("RECONNECT_MIN_MS", "100");
    env.put("RECONNECT_MAX_MS", "1000");
    env.put("NACK_RETRY_DELAY_SECONDS", "1");
    env.put("HEALTH_HOST", "127.0.0.1");
    env.put("HEALTH_PORT", "0");
    env.put("DRAIN_TIMEOUT_SECONDS", "5");
    env.putAll(overrides);
    return env;
  }

  MllpBridgeService startBridge(Map<String, String> overrides) throws IOException {
    BridgeConfig config = BridgeConfig.fromEnvironment(environment(overrides));
    bridge = MllpBridgeService.start(config, sqs.client(), new EmfMetrics(metrics::add, System::currentTimeMillis));
    return bridge;
  }

  void sendSiu(String patient, String controlId) {
    sqs.sendHl7(queues.queueUrl(), patient, controlId, "SIU^S12", Hl7Samples.siuS12(controlId, patient));
  }

  int health(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + bridge.healthPort() + path)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Per patient (first PID-3 id), the control ids in order of arrival, repeats collapsed. */
  Map<String, List<String>> arrivalsByPatient() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ReceivedMessage m : ehr.received()) {
      List<String> list = out.computeIfAbsent(m.patientIds().get(0), k -> new ArrayList<>());
      if (list.isEmpty() || !list.get(list.size() - 1).equals(m.controlId())) {
        list.add(m.controlId());
      }
    }
    return out;
  }

  long count(String controlId) {
    return ehr.controlIds().stream().filter(controlId::equals).count();
  }

  int metric(String name) {
    int total = 0;
    for (String line : List.copyOf(metrics)) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(line);
      if (m.find()) {
        total += Integer.parseInt(m.group(1));
      }
    }
    return total;
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    if (bridge != null) {
      bridge.close();
    }
    Logger.getLogger("io.telebridge").removeHandler(capture);
  }
}
