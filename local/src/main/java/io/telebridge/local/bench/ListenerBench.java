package io.telebridge.local.bench;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import io.telebridge.aws.AwsSettings;
import io.telebridge.hl7v2.Hl7Context;
import io.telebridge.local.emulator.ElasticMq;
import io.telebridge.mllp.tls.TlsConfig;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpReader;
import io.telebridge.mllp.hl7.RawHl7;
import io.telebridge.mllp.listener.AcceptInboundFrame;
import io.telebridge.mllp.listener.ClientAllowList;
import io.telebridge.mllp.listener.ListenerConfig;
import io.telebridge.mllp.listener.MllpListener;
import io.telebridge.mllp.listener.SqsInboundStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The MLLP listener's message rate with persist-before-ACK beside a HAPI server that only ACKs, in
 * one run, with one client and the same messages.
 *
 * <pre>
 *   ./tb bench listener [--count 3000] [--warmup 1000] [--rounds 3] [--connections 1] [--patients 100]
 *                       [--in-memory] [--file tests/fixtures/mllp/oru-r01.hl7]
 * </pre>
 *
 * <ul>
 *   <li><b>listener</b>: telebridge's {@link MllpListener} (plain TCP, one virtual thread per connection)
 *       → HAPI parse with the project's one HapiContext ({@link Hl7Context}) → SendMessage to a FIFO queue
 *       in ElasticMQ (group = MRN, dedup = SHA-256 of facility|MSH-10; the bridge's own SQS client,
 *       url-connection) → AA built from the raw MSH. ElasticMQ runs in this JVM with its H2 message
 *       store (as {@code ./tb local}), or in memory with {@code --in-memory}.
 *   <li><b>HAPI no-op</b>: HAPI's {@link HL7Service} ({@code HapiContext.newServer}, the same
 *       HapiContext, so the same parse and validation) with a {@link ReceivingApplication} that
 *       returns {@code generateACK()} (AA) and stores nothing.
 * </ul>
 *
 * The client: {@code --connections} sockets, each sending its share of the messages one at a time
 * (frame, wait for the ACK, check MSA-1 = AA and MSA-2 = MSH-10). Each round sends a fresh set of
 * messages (the fixture with a new MSH-10 each, and MRNs cycling over {@code --patients}) to both
 * servers, in alternating order; the figure is the median rate over the rounds. At the end the
 * from-EHR queue must hold exactly the messages the listener acknowledged. A third row, "SendMessage
 * alone", sends the same messages straight to another FIFO queue with the same SQS client (no MLLP, no
 * HAPI): the cost of the durable write by itself. Prints figures; asserts nothing about time.
 */
public final class ListenerBench {

  static final String USAGE = """
      Usage: ./tb bench listener [--count 3000] [--warmup 1000] [--rounds 3] [--connections 1] [--patients 100]
                                 [--in-memory] [--file FILE]
        --count N        messages per server per round
        --warmup N       messages sent to each server first, not measured
        --rounds R       measured rounds (servers alternate which goes first)
        --connections K  client connections, each sending one message at a time
        --patients P     distinct MRNs (FIFO message groups)
        --in-memory      ElasticMQ without its H2 message store (default: with it, as ./tb local)
        --file FILE      the HL7 message to copy (default tests/fixtures/mllp/oru-r01.hl7)
      """;

  /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger MLLP_LOGS = java.util.logging.Logger.getLogger("io.telebridge.mllp");

  private ListenerBench() {}

  public static void main(String[] argv) throws Exception {
    try {
      System.exit(run(argv));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  static int run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    if (args.flag("--help") || args.flag("-h")) {
      System.out.print(USAGE);
      return 0;
    }
    int count = args.intOption("--count", 3000);
    int warmup = args.intOption("--warmup", 1000);
    int rounds = args.intOption("--rounds", 3);
    int connections = args.intOption("--connections", 1);
    int patients = args.intOption("--patients", 100);
    boolean inMemory = args.flag("--in-memory");
    Path file = Path.of(args.option("--file", BenchArgs.repoRoot().resolve("tests/fixtures/mllp/oru-r01.hl7")
        .toString()));
    args.done(USAGE);
    quiet();
    String template = Files.readString(file).replace("\r\n", "\r").replace('\n', '\r');
    RawHl7 raw = RawHl7.of(template);
    String controlId = raw.controlId();
    List<String> mrns = raw.patientIds();
    String mrn = mrns.isEmpty() ? null : mrns.get(0);

    Path data = Files.createTempDirectory("listener-bench-");
    try (ElasticMq mq = ElasticMq.start("127.0.0.1", 0, data, !inMemory)) {
      AwsSettings aws = AwsSettings.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
          "AWS_ENDPOINT_URL_SQS", mq.endpoint().toString(), "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
      try (SqsClient sqs = SqsInboundStore.client(aws)) {
        String fromEhr = sqs.createQueue(b -> b.queueName("bench-from-ehr.fifo").attributes(Map.of(
            QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false",
            QueueAttributeName.VISIBILITY_TIMEOUT, "180"))).queueUrl();
        String quarantine = sqs.createQueue(b -> b.queueName("bench-quarantine")).queueUrl();
        String bare = sqs.createQueue(b -> b.queueName("bench-sendmessage-alone.fifo").attributes(Map.of(
            QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"))).queueUrl();
        ListenerConfig config = new ListenerConfig(true, "127.0.0.1", 0, fromEhr, quarantine, TlsConfig.off(),
            ClientAllowList.any(), ListenerConfig.DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(300), 64,
            StandardCharsets.UTF_8, "TELEHEALTH", java.time.ZoneOffset.UTC);
        AtomicLong ackIds = new AtomicLong();
        AcceptInboundFrame accept = new AcceptInboundFrame(new SqsInboundStore(sqs, fromEhr, quarantine),
            new io.telebridge.hl7v2.FromEhrReader("TELEHEALTH", java.time.ZoneOffset.UTC), StandardCharsets.UTF_8,
            Clock.systemUTC(), () -> "B" + ackIds.incrementAndGet());
        accept.warmUp();
        int hapiPort = freePort();
        HL7Service hapi = Hl7Context.inbound().newServer(hapiPort, false);
        hapi.registerApplication(new NoOpApplication());
        hapi.startAndWait();
        try (MllpListener listener = new MllpListener(config, accept).start()) {
          System.out.printf(Locale.ROOT, "MLLP listener rate: persist-before-ACK (ElasticMQ %s) vs HAPI no-op server%n",
              inMemory ? "in memory" : "with its H2 message store");
          System.out.printf(Locale.ROOT, "  message: %s (%d bytes), %d per server per round, %d round(s), %d connection(s), "
              + "%d patients, warm-up %d%n", file.getFileName(), template.getBytes(StandardCharsets.UTF_8).length, count,
              rounds, connections, patients, warmup);
          System.out.printf(Locale.ROOT, "  JVM %s, %d CPU(s)%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
          long listenerSent = 0;
          List<String> warm = messages(template, controlId, mrn, "W", warmup, patients);
          send(listener.port(), warm, connections);
          listenerSent += warm.size();
          send(hapiPort, warm, connections);
          sendMessageAlone(sqs, bare, warm, connections);
          double[] listenerRates = new double[rounds];
          double[] hapiRates = new double[rounds];
          double[] bareRates = new double[rounds];
          List<Long> bareLat = new ArrayList<>();
          List<Long> listenerLat = new ArrayList<>();
          List<Long> hapiLat = new ArrayList<>();
          for (int r = 0; r < rounds; r++) {
            List<String> batch = messages(template, controlId, mrn, "R" + r, count, patients);
            boolean listenerFirst = r % 2 == 1;
            for (int k = 0; k < 2; k++) {
              boolean isListener = (k == 0) == listenerFirst;
              Result res = send(isListener ? listener.port() : hapiPort, batch, connections);
              if (isListener) {
                listenerRates[r] = res.rate();
                listenerLat.addAll(res.latencies());
                listenerSent += batch.size();
              } else {
                hapiRates[r] = res.rate();
                hapiLat.addAll(res.latencies());
              }
              System.out.printf(Locale.ROOT, "  round %d  %-22s %8.0f msg/s%n", r + 1,
                  isListener ? "listener (persist)" : "HAPI no-op", res.rate());
            }
            Result alone = sendMessageAlone(sqs, bare, batch, connections);
            bareRates[r] = alone.rate();
            bareLat.addAll(alone.latencies());
            System.out.printf(Locale.ROOT, "  round %d  %-22s %8.0f msg/s%n", r + 1, "SendMessage alone", alone.rate());
          }
          double l = Stats.median(listenerRates);
          double h = Stats.median(hapiRates);
          Stats ls = new Stats(listenerLat.stream().mapToLong(Long::longValue).toArray());
          Stats hs = new Stats(hapiLat.stream().mapToLong(Long::longValue).toArray());
          System.out.println();
          System.out.printf(Locale.ROOT, "  %-22s %10s %10s %10s %10s%n", "", "msg/s", "p50 ms", "p99 ms", "max ms");
          System.out.printf(Locale.ROOT, "  %-22s %10.0f %10s %10s %10s%n", "listener (persist)", l,
              Stats.fmt(ls.percentileMs(50)), Stats.fmt(ls.percentileMs(99)), Stats.fmt(ls.maxMs()));
          System.out.printf(Locale.ROOT, "  %-22s %10.0f %10s %10s %10s%n", "HAPI no-op", h,
              Stats.fmt(hs.percentileMs(50)), Stats.fmt(hs.percentileMs(99)), Stats.fmt(hs.maxMs()));
          Stats bs = new Stats(bareLat.stream().mapToLong(Long::longValue).toArray());
          System.out.printf(Locale.ROOT, "  %-22s %10.0f %10s %10s %10s%n", "SendMessage alone", Stats.median(bareRates),
              Stats.fmt(bs.percentileMs(50)), Stats.fmt(bs.percentileMs(99)), Stats.fmt(bs.maxMs()));
          System.out.printf(Locale.ROOT, "  ratio listener / HAPI no-op: %.2f (median of %d rounds)%n", l / h, rounds);
          System.out.printf(Locale.ROOT, "  ratio listener / SendMessage alone: %.2f%n", l / Stats.median(bareRates));
          long onQueue = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(fromEhr).attributeNames(
              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings().get("ApproximateNumberOfMessages"));
          System.out.printf(Locale.ROOT, "  from-EHR queue holds %d message(s); the listener acknowledged %d: %s%n", onQueue,
              listenerSent, onQueue == listenerSent ? "nothing lost, nothing doubled" : "MISMATCH");
          return onQueue == listenerSent ? 0 : 1;
        } finally {
          hapi.stopAndWait();
        }
      }
    } finally {
      deleteRecursively(data);
    }
  }

  record Result(double rate, List<Long> latencies) {}

  /** Sends every message over {@code connections} sockets (each one at a time) and checks each ACK. */
  static Result send(int port, List<String> messages, int connections) throws Exception {
    List<List<String>> shares = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < messages.size(); i++) {
      shares.get(i % connections).add(messages.get(i));
    }
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (List<String> share : shares) {
      threads.add(Thread.ofPlatform().start(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
          s.setTcpNoDelay(true);
          s.setSoTimeout(30_000);
          OutputStream out = s.getOutputStream();
          InputStream in = s.getInputStream();
          MllpReader reader = new MllpReader(in, 1 << 20);
          long[] mine = new long[share.size()];
          int n = 0;
          for (String m : share) {
            long t0 = System.nanoTime();
            out.write(MllpFrames.frame(m.getBytes(StandardCharsets.UTF_8)));
            out.flush();
            byte[] ack = reader.readFrame();
            mine[n++] = System.nanoTime() - t0;
            if (ack == null) {
              throw new IOException("connection closed without an ACK");
            }
            RawHl7 a = RawHl7.of(new String(ack, StandardCharsets.UTF_8));
            if (!a.field("MSA", 1).equals("AA") || !a.field("MSA", 2).equals(RawHl7.of(m).controlId())) {
              throw new IOException("unexpected ACK: MSA-1 " + a.field("MSA", 1));
            }
          }
          for (long v : mine) {
            latencies.add(v);
          }
        } catch (Exception e) {
          failures.add(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("client failed: " + failures.get(0), failures.get(0));
    }
    return new Result(messages.size() / (elapsed / 1e9), latencies);
  }

  /**
   * The same messages straight to a FIFO queue with the same client (group and dedup as the listener
   * sets them), no MLLP and no HAPI: what one durable write costs, the floor under the listener's latency.
   */
  static Result sendMessageAlone(SqsClient sqs, String queueUrl, List<String> messages, int connections)
      throws InterruptedException {
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      int first = c;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = first; i < messages.size(); i += connections) {
          String m = messages.get(i);
          RawHl7 raw = RawHl7.of(m);
          long t0 = System.nanoTime();
          sqs.sendMessage(b -> b.queueUrl(queueUrl).messageGroupId(raw.patientIds().isEmpty() ? "g" : raw.patientIds().get(0))
              .messageDeduplicationId(AcceptInboundFrame.deduplicationId(raw.msh(4), raw.controlId())).messageBody(m));
          latencies.add(System.nanoTime() - t0);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(messages.size() / ((System.nanoTime() - start) / 1e9), latencies);
  }

  /** The template with a fresh MSH-10 per message ({@code <prefix>-<i>}) and MRNs cycling over {@code patients}. */
  static List<String> messages(String template, String controlId, String mrn, String prefix, int count, int patients) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String m = template.replace("|" + controlId + "|", "|" + prefix + "-" + i + "|");
      if (mrn != null) {
        m = m.replace(mrn, mrn + "-" + (i % patients));
      }
      out.add(m);
    }
    return out;
  }

  /** AA for everything, stores nothing. */
  static final class NoOpApplication implements ReceivingApplication<Message> {
    @Override
    public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
      try {
        return message.generateACK();
      } catch (IOException e) {
        throw new HL7Exception(e);
      }
    }

    @Override
    public boolean canProcess(Message message) {
      return true;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void quiet() {
    MLLP_LOGS.setLevel(java.util.logging.Level.WARNING); // one INFO line per message would be measured too
    try {
      if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
        for (String name : new String[] {"org.elasticmq", "org.apache.pekko", "org.h2", "scalikejdbc", "com.zaxxer",
            "software.amazon.awssdk", "ca.uhn", "org.apache.commons"}) {
          ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.WARN);
        }
      }
    } catch (LinkageError e) {
      // another binding: leave it
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary directory: best effort
    }
  }
}
