package io.telebridge.mllp.bench;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.app.Initiator;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.telebridge.mllp.Hl7Samples;
import io.telebridge.mllp.LocalSqs;
import io.telebridge.mllp.MllpBridgeService;
import io.telebridge.mllp.bridge.Backoff;
import io.telebridge.mllp.bridge.Bridge;
import io.telebridge.mllp.bridge.BridgeConfig;
import io.telebridge.mllp.bridge.EmfMetrics;
import io.telebridge.mllp.bridge.MllpClient;
import io.telebridge.mllp.hl7.Ack;
import io.telebridge.mllp.hl7.AckReader;
import io.telebridge.mllp.sim.EhrSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The bridge's send rate against the EHR simulator beside a plain HAPI client's rate against the
 * same simulator, in one run, on loopback. Not a test: a harness that prints figures.
 *
 * <ol>
 *   <li><b>HAPI client</b>: {@code HapiContext.newClient(host, port, false).getInitiator().sendAndReceive(msg)},
 *       messages parsed beforehand (HAPI encodes each on send and parses each ACK).
 *   <li><b>bridge MLLP path</b>: what the bridge does per message without a queue: frame, write,
 *       read the ACK within the deadline, parse it with HAPI (Terser), check MSA-2 = MSH-10.
 *   <li><b>bridge loop, in-memory queue</b>: the real {@link Bridge} loop (batches of 10, FIFO groups,
 *       batch deletes, EMF) fed by {@link InMemoryOutboundQueue}: the bridge's own ceiling.
 *   <li><b>bridge loop, ElasticMQ</b>: the same over the SQS API (ElasticMQ in this JVM), messages
 *       queued before the clock starts: what the local stack would show.
 * </ol>
 *
 * <pre>
 *   mllp-bridge/bench.sh [--messages N] [--warmup N] [--patients N]
 * </pre>
 */
public final class SendRateBench {

  private SendRateBench() {}

  public static void main(String[] args) throws Exception {
    int messages = 5_000;
    int warmup = 2_000;
    int patients = 50;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--messages" -> messages = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--patients" -> patients = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var h : Logger.getLogger("").getHandlers()) {
      h.setLevel(Level.WARNING);
    }
    System.out.printf(Locale.ROOT, "JDK %s, %d cores; %d messages per run after %d warm-up; loopback; simulator answers AA%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), messages, warmup);

    try (EhrSimulator ehr = EhrSimulator.builder().start(); LocalSqs sqs = LocalSqs.start()) {
      hapi(ehr, warmup, "w");
      Result hapi = hapi(ehr, messages, "h");
      ehr.clearReceived();

      bridgePath(ehr, warmup, "w");
      Result path = bridgePath(ehr, messages, "p");
      ehr.clearReceived();

      bridgeLoopInMemory(ehr, warmup, patients, "w");
      Result loop = bridgeLoopInMemory(ehr, messages, patients, "l");
      ehr.clearReceived();

      bridgeLoopSqs(ehr, sqs, warmup, patients, "w");
      Result loopSqs = bridgeLoopSqs(ehr, sqs, messages, patients, "q");
      ehr.clearReceived();

      System.out.println();
      System.out.printf(Locale.ROOT, "%-44s %10s %10s %10s%n", "", "msgs/s", "p50 ms", "p99 ms");
      print("HAPI client (Initiator.sendAndReceive)", hapi);
      print("bridge MLLP path (MllpClient + AckReader)", path);
      print("bridge loop, in-memory queue", loop);
      print("bridge loop, ElasticMQ (SQS API)", loopSqs);
      System.out.println();
      System.out.printf(Locale.ROOT, "ratio bridge MLLP path / HAPI client:      %.2f%n", path.rate / hapi.rate);
      System.out.printf(Locale.ROOT, "ratio bridge loop (in-memory) / HAPI:       %.2f%n", loop.rate / hapi.rate);
      System.out.printf(Locale.ROOT, "ratio bridge loop (ElasticMQ) / HAPI:       %.2f%n", loopSqs.rate / hapi.rate);
    }
  }

  private record Result(double rate, double p50, double p99) {}

  private static void print(String name, Result r) {
    System.out.printf(Locale.ROOT, "%-44s %10.0f %10s %10s%n", name, r.rate,
        Double.isNaN(r.p50) ? "-" : String.format(Locale.ROOT, "%.2f", r.p50),
        Double.isNaN(r.p99) ? "-" : String.format(Locale.ROOT, "%.2f", r.p99));
  }

  private static Result hapi(EhrSimulator ehr, int n, String prefix) throws Exception {
    try (HapiContext ctx = new DefaultHapiContext()) {
      ctx.setValidationContext(ValidationContextFactory.noValidation());
      ctx.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
      Parser parser = ctx.getPipeParser();
      List<Message> parsed = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        parsed.add(parser.parse(Hl7Samples.siuS12(prefix + i, "PAT-" + (i % 50))));
      }
      Connection connection = ctx.newClient("127.0.0.1", ehr.port(), false);
      Initiator initiator = connection.getInitiator();
      initiator.setTimeout(10, TimeUnit.SECONDS);
      long[] latencies = new long[n];
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        Message ack = initiator.sendAndReceive(parsed.get(i));
        latencies[i] = System.nanoTime() - t;
        if (ack == null) {
          throw new IllegalStateException("no ACK");
        }
      }
      long elapsed = System.nanoTime() - start;
      connection.close();
      return result(n, elapsed, latencies);
    }
  }

  private static Result bridgePath(EhrSimulator ehr, int n, String prefix) throws Exception {
    AckReader acks = new AckReader();
    acks.warmUp();
    List<String> bodies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      bodies.add(Hl7Samples.siuS12(prefix + i, "PAT-" + (i % 50)));
    }
    try (MllpClient client = new MllpClient("127.0.0.1", ehr.port(), Duration.ofSeconds(5), 1 << 20, null, true,
        Duration.ofSeconds(5))) {
      client.connect();
      long[] latencies = new long[n];
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        byte[] answer = client.exchange(bodies.get(i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
        Ack ack = acks.read(new String(answer, StandardCharsets.UTF_8));
        latencies[i] = System.nanoTime() - t;
        if (!ack.accepted() || !ack.controlId().equals(prefix + i)) {
          throw new IllegalStateException("unexpected ACK");
        }
      }
      return result(n, System.nanoTime() - start, latencies);
    }
  }

  private static BridgeConfig config(EhrSimulator ehr, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("TO_EHR_QUEUE_URL", "memory://to-ehr.fifo",
        "TO_EHR_DLQ_URL", "memory://to-ehr-dlq.fifo", "EHR_HOST", "127.0.0.1", "EHR_PORT", Integer.toString(ehr.port()),
        "POLL_WAIT_SECONDS", "1", "HEALTH_HOST", "127.0.0.1", "HEALTH_PORT", "0"));
    env.putAll(extra);
    return BridgeConfig.fromEnvironment(env);
  }

  private static Result bridgeLoopInMemory(EhrSimulator ehr, int n, int patients, String prefix) throws Exception {
    InMemoryOutboundQueue queue = new InMemoryOutboundQueue();
    for (int i = 0; i < n; i++) {
      String id = prefix + i;
      String patient = "PAT-" + (i % patients);
      queue.add(patient, id, Hl7Samples.siuS12(id, patient));
    }
    BridgeConfig config = config(ehr, Map.of());
    AckReader acks = new AckReader();
    acks.warmUp();
    Bridge bridge = new Bridge(config, queue, MllpClient.of(config), acks, new EmfMetrics(line -> { }, System::currentTimeMillis),
        new Backoff(config.reconnectMin(), config.reconnectMax(), RandomGenerator.of("L64X128MixRandom")));
    long start = System.nanoTime();
    Thread worker = Thread.ofPlatform().start(bridge);
    queue.awaitEmpty(Duration.ofMinutes(5));
    long elapsed = System.nanoTime() - start;
    bridge.requestStop();
    worker.join();
    return result(n, elapsed, null);
  }

  private static Result bridgeLoopSqs(EhrSimulator ehr, LocalSqs sqs, int n, int patients, String prefix) throws Exception {
    LocalSqs.Queues queues = sqs.createToEhrQueues(50);
    List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = prefix + i;
      String patient = "PAT-" + (i % patients);
      batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(batch.size())).messageGroupId(patient)
          .messageDeduplicationId(id).messageBody(Hl7Samples.siuS12(id, patient)).messageAttributes(Map.of(
              "controlId", MessageAttributeValue.builder().dataType("String").stringValue(id).build())).build());
      if (batch.size() == 10 || i == n - 1) {
        List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
        sqs.client().sendMessageBatch(b -> b.queueUrl(queues.queueUrl()).entries(entries));
        batch.clear();
      }
    }
    Map<String, String> env = new HashMap<>(sqs.awsEnvironment());
    env.put("TO_EHR_QUEUE_URL", queues.queueUrl());
    env.put("TO_EHR_DLQ_URL", queues.deadLetterQueueUrl());
    BridgeConfig config = config(ehr, env);
    java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
    long start = System.nanoTime();
    MllpBridgeService service = MllpBridgeService.start(config, sqs.client(),
        new EmfMetrics(line -> batches.incrementAndGet(), System::currentTimeMillis));
    try {
      while (ehr.received().size() < n || sqs.depth(queues.queueUrl()) > 0) {
        Thread.sleep(5);
      }
      long elapsed = System.nanoTime() - start;
      if (!prefix.equals("w")) {
        System.out.printf(Locale.ROOT, "  (ElasticMQ run: %d batches, %.1f messages per receive)%n", batches.get(),
            n / (double) Math.max(1, batches.get()));
      }
      return result(n, elapsed, null);
    } finally {
      service.close();
    }
  }

  private static Result result(int n, long elapsedNanos, long[] latencies) {
    double rate = n / (elapsedNanos / 1e9);
    if (latencies == null) {
      return new Result(rate, Double.NaN, Double.NaN);
    }
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Result(rate, sorted[(int) (n * 0.50)] / 1e6, sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
  }
}
