package io.telebridge.local.bench;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import io.telebridge.aws.AwsSettings;
import io.telebridge.hl7v2.Hl7Context;
import io.telebridge.local.emulator.ElasticMq;
import io.telebridge.mllp.tls.TlsConfig;
import io.telebridge.mllp.hl7.RawHl7;
import io.telebridge.mllp.listener.AcceptInboundFrame;
import io.telebridge.mllp.listener.ClientAllowList;
import io.telebridge.mllp.listener.GroupCommit;
import io.telebridge.mllp.listener.ListenerConfig;
import io.telebridge.mllp.listener.MllpListener;
import io.telebridge.mllp.listener.SqsInboundStore;
import java.io.IOException;
import java.net.ServerSocket;
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
 *   ./tb bench listener [--count 3000] [--warmup 1000] [--rounds 3] [--connections 1[,4...]] [--patients 100]
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
 * The client: {@code --connections} sockets (a list: {@code 1,4} measures both in one run), each
 * sending its share of the messages one at a time (frame, wait for the ACK, check MSA-1 = AA and
 * MSA-2 = MSH-10). Each round sends, for every connection count, fresh messages (the fixture with a
 * new MSH-10 each, and MRNs cycling over {@code --patients}) to four targets, in an order that
 * alternates between rounds: the listener with group commit (frames on their way across connections
 * share one SendMessageBatch), the same listener writing one SendMessage per message (the code before
 * group commit), the HAPI no-op server, and "SendMessage alone" — the same messages straight to
 * another FIFO queue with the same SQS client (no MLLP, no HAPI; k threads for k connections): the
 * cost of the durable write by itself. Figures are medians over the rounds; the ratios are to
 * SendMessage alone on one thread. At the end each listener's queue must hold exactly the messages it
 * acknowledged. Prints figures; asserts nothing about time.
 */
public final class ListenerBench {

  static final String USAGE = """
      Usage: ./tb bench listener [--count 3000] [--warmup 1000] [--rounds 3] [--connections 1[,4...]] [--patients 100]
                                 [--in-memory] [--linger-ms L] [--file FILE]
        --count N        messages per target and connection count per round
        --warmup N       messages sent to each target first, not measured
        --rounds R       measured rounds (targets alternate their order)
        --connections K  client connections, each sending one message at a time; a list (1,4) runs each
        --patients P     distinct MRNs (FIFO message groups)
        --in-memory      ElasticMQ without its H2 message store (default: with it, as ./tb local)
        --linger-ms L    the group commit's longest wait (default: the listener's, 2 ms)
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

  /** What one round sends to: a label and how (k connections → result). */
  private record Target(String label, int connections, Sender sender) {}

  @FunctionalInterface
  private interface Sender {
    ListenerBenchClient.Result send(List<String> messages) throws Exception;
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
    List<Integer> connectionCounts = java.util.Arrays.stream(args.option("--connections", "1").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    int patients = args.intOption("--patients", 100);
    boolean inMemory = args.flag("--in-memory");
    int lingerMs = args.intOption("--linger-ms", -1);
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
        String quarantine = sqs.createQueue(b -> b.queueName("bench-quarantine")).queueUrl();
        String bare = fifo(sqs, "bench-sendmessage-alone.fifo");
        String grouped = fifo(sqs, "bench-from-ehr.fifo");
        String single = fifo(sqs, "bench-from-ehr-one-by-one.fifo");
        GroupCommit.Limits limits = lingerMs < 0 ? GroupCommit.Limits.SQS : new GroupCommit.Limits(
            GroupCommit.Limits.SQS.maxEntries(), GroupCommit.Limits.SQS.maxBytes(), Duration.ofMillis(lingerMs),
            GroupCommit.Limits.SQS.recent());
        SqsInboundStore groupedStore = new SqsInboundStore(sqs, grouped, quarantine, limits);
        SqsInboundStore singleStore = new SqsInboundStore(sqs, single, quarantine,
            new GroupCommit.Limits(1, 256 * 1024, Duration.ZERO)); // one SendMessage per message: the code before group commit
        int hapiPort = freePort();
        HL7Service hapi = Hl7Context.inbound().newServer(hapiPort, false);
        hapi.registerApplication(new NoOpApplication());
        hapi.startAndWait();
        try (MllpListener listener = listener(groupedStore).start(); MllpListener oneByOne = listener(singleStore).start()) {
          System.out.printf(Locale.ROOT, "MLLP listener rate: persist-before-ACK (ElasticMQ %s) vs HAPI no-op server%n",
              inMemory ? "in memory" : "with its H2 message store");
          System.out.printf(Locale.ROOT, "  message: %s (%d bytes), %d per target per round, %d round(s), connections %s, "
              + "%d patients, warm-up %d%n", file.getFileName(), template.getBytes(StandardCharsets.UTF_8).length, count,
              rounds, connectionCounts, patients, warmup);
          System.out.printf(Locale.ROOT, "  JVM %s, %d CPU(s); group commit: %s%n", Runtime.version(),
              Runtime.getRuntime().availableProcessors(), limits);
          List<Target> targets = new ArrayList<>();
          for (int k : connectionCounts) {
            targets.add(new Target("listener, group commit", k, m -> ListenerBenchClient.send(listener.port(), m, k)));
            targets.add(new Target("listener, 1 SendMessage/msg", k, m -> ListenerBenchClient.send(oneByOne.port(), m, k)));
            targets.add(new Target("HAPI no-op", k, m -> ListenerBenchClient.send(hapiPort, m, k)));
            targets.add(new Target("SendMessage alone", k, m -> ListenerBenchClient.sendMessageAlone(sqs, bare, m, k)));
          }
          long[] acknowledged = new long[2];
          // each connection count gets its own messages (control ids), so that no queue deduplicates a round away
          for (Target t : targets) {
            t.sender().send(ListenerBenchClient.messages(template, controlId, mrn, "Wx" + t.connections(), warmup, patients));
          }
          acknowledged[0] += (long) warmup * connectionCounts.size();
          acknowledged[1] += (long) warmup * connectionCounts.size();
          long batchesBefore = groupedStore.groupCommit().batches();
          long entriesBefore = groupedStore.groupCommit().entries();
          double[][] rates = new double[targets.size()][rounds];
          List<List<Long>> latencies = new ArrayList<>();
          targets.forEach(t -> latencies.add(new ArrayList<>()));
          for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < targets.size(); j++) {
              int i = r % 2 == 0 ? j : targets.size() - 1 - j; // alternate the order between rounds
              Target t = targets.get(i);
              ListenerBenchClient.Result res = t.sender().send(ListenerBenchClient.messages(template, controlId, mrn, "R" + r + "x" + t.connections(), count, patients));
              rates[i][r] = res.rate();
              latencies.get(i).addAll(res.latencies());
              System.out.printf(Locale.ROOT, "  round %d  %-28s x%d %8.0f msg/s%n", r + 1, t.label(), t.connections(), res.rate());
            }
            acknowledged[0] += (long) count * connectionCounts.size();
            acknowledged[1] += (long) count * connectionCounts.size();
          }
          System.out.println();
          System.out.printf(Locale.ROOT, "  %-28s %5s %10s %10s %10s %10s%n", "", "conns", "msg/s", "p50 ms", "p99 ms", "max ms");
          double[] median = new double[targets.size()];
          for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            median[i] = Stats.median(rates[i]);
            Stats st = new Stats(latencies.get(i).stream().mapToLong(Long::longValue).toArray());
            System.out.printf(Locale.ROOT, "  %-28s %5d %10.0f %10s %10s %10s%n", t.label(), t.connections(), median[i],
                Stats.fmt(st.percentileMs(50)), Stats.fmt(st.percentileMs(99)), Stats.fmt(st.maxMs()));
          }
          long batches = groupedStore.groupCommit().batches() - batchesBefore;
          long entries = groupedStore.groupCommit().entries() - entriesBefore;
          System.out.printf(Locale.ROOT, "  group commit (measured rounds, every connection count): %d entries in %d writes, "
              + "%.2f per write%n", entries, batches, batches == 0 ? 0.0 : (double) entries / batches);
          int bare1 = index(targets, "SendMessage alone", 1);
          for (int k : connectionCounts) {
            int g = index(targets, "listener, group commit", k);
            int o = index(targets, "listener, 1 SendMessage/msg", k);
            int h = index(targets, "HAPI no-op", k);
            System.out.printf(Locale.ROOT, "  x%d: listener / SendMessage alone x1: %.2f (group commit), %.2f (one by one); "
                + "listener / HAPI no-op: %.2f; per-round ratios to SendMessage alone x1: %s%n", k,
                bare1 < 0 ? Double.NaN : median[g] / median[bare1], bare1 < 0 ? Double.NaN : median[o] / median[bare1],
                median[g] / median[h], bare1 < 0 ? "-" : perRound(rates[g], rates[bare1]));
          }
          boolean ok = true;
          String[] urls = {grouped, single};
          for (int q = 0; q < 2; q++) {
            String url = urls[q];
            long onQueue = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings().get("ApproximateNumberOfMessages"));
            boolean same = onQueue == acknowledged[q];
            ok &= same;
            System.out.printf(Locale.ROOT, "  %s holds %d message(s); that listener acknowledged %d: %s%n",
                io.telebridge.aws.SqsQueues.nameOf(url), onQueue, acknowledged[q], same ? "nothing lost, nothing doubled" : "MISMATCH");
          }
          return ok ? 0 : 1;
        } finally {
          hapi.stopAndWait();
        }
      }
    } finally {
      deleteRecursively(data);
    }
  }

  private static int index(List<Target> targets, String label, int connections) {
    for (int i = 0; i < targets.size(); i++) {
      if (targets.get(i).label().equals(label) && targets.get(i).connections() == connections) {
        return i;
      }
    }
    return -1;
  }

  private static String perRound(double[] rates, double[] base) {
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < rates.length; r++) {
      b.append(r == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", rates[r] / base[r]));
    }
    return b.toString();
  }

  private static String fifo(SqsClient sqs, String name) {
    return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
        QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false", QueueAttributeName.VISIBILITY_TIMEOUT, "180"))).queueUrl();
  }

  /** A listener on a free port in front of {@code store}, configured as the bridge's defaults (plain TCP). */
  private static MllpListener listener(SqsInboundStore store) {
    ListenerConfig config = new ListenerConfig(true, "127.0.0.1", 0, "unused", "unused", TlsConfig.off(),
        ClientAllowList.any(), ListenerConfig.DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(300), 64,
        StandardCharsets.UTF_8, "TELEHEALTH", java.time.ZoneOffset.UTC);
    AtomicLong ackIds = new AtomicLong();
    AcceptInboundFrame accept = new AcceptInboundFrame(store,
        new io.telebridge.hl7v2.FromEhrReader("TELEHEALTH", java.time.ZoneOffset.UTC), StandardCharsets.UTF_8,
        Clock.systemUTC(), () -> "B" + ackIds.incrementAndGet());
    accept.warmUp();
    return new MllpListener(config, accept);
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
