package io.telebridge.local.bench;

import io.telebridge.local.Cli;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.RepoRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Intake latency: N sequential signed POSTs of a sample event (unique ids, a few patients)
 * over one reused HTTP/1.1 connection; prints p50/p90/p99/max/mean and throughput.
 *
 * <pre>
 *   ./tb bench latency [--url U] [--secret S] [--count 1000] [--warmup 100]
 *                      [--patients 5] [--event FILE] [--in-process]
 * </pre>
 *
 * Prints figures only; asserts nothing about time. Exit 1 when any answer was not 202.
 */
public final class LatencyBench {

  static final String USAGE = """
      Usage: ./tb bench latency [--url U] [--secret S] [--count 1000] [--warmup 100]
                                [--patients 5] [--event FILE] [--in-process [--breakdown N]]
        --in-process    start an own local stack (random ports, temp data) instead of using --url
        --breakdown N   afterwards, time N of each dependency call the intake makes per request
                        (moto PutItem, moto UpdateItem, ElasticMQ SendMessage) straight from the SDK
      """;

  private LatencyBench() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs.main("latency", argv, LatencyBench::run);
  }

  private static void run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    boolean inProcess = args.flag("--in-process");
    String url = args.option("--url", BenchArgs.env("TELEBRIDGE_API_URL", Cli.DEFAULT_API_URL));
    String secret = args.option("--secret",
        BenchArgs.env("TELEBRIDGE_WEBHOOK_SECRET", LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET));
    int count = args.intOption("--count", 1000);
    int warmup = args.intOption("--warmup", 100);
    int patients = args.intOption("--patients", 5);
    int breakdown = args.intOption("--breakdown", 0);
    Path eventFile = Path.of(args.option("--event", BenchEvents.defaultFile().toString()));
    if (args.flag("--help") || args.flag("-h")) {
      System.out.print(USAGE);
      return;
    }
    args.done(USAGE);
    if (count < 1 || warmup < 0) {
      throw new IllegalArgumentException("--count must be >= 1 and --warmup >= 0");
    }
    BenchEvents events = new BenchEvents(eventFile, patients);

    LocalStack stack = null;
    int code;
    try {
      if (inProcess) {
        Path template = BenchArgs.repoRoot().resolve(RepoRoot.TEMPLATE);
        long t = System.nanoTime();
        // the intake alone: the translator's trigger stays off, so the queue check below can count
        stack = BenchArgs.start(LocalStackOptions.forTests(template).disableEventSources("ToEhrTranslatorFunction"));
          url = stack.apiUrl("/v1/events").toString();
        secret = stack.devSigningSecret();
        System.out.printf(Locale.ROOT, "in-process local stack up in %d ms%n", (System.nanoTime() - t) / 1_000_000);
      }
      System.out.printf(Locale.ROOT, "target %s%nbody   %s with unique ids, %d patient(s); %d warm-up + %d measured, sequential, one connection%n",
          url, eventFile, patients, warmup, count);
      System.out.printf(Locale.ROOT, "jvm    %s %s, %d cpu(s)%n", System.getProperty("java.vm.name"),
          System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());

      try (HttpClient http = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build()) {
        Phase warm = send(http, URI.create(url), secret, events, 0, warmup);
        if (warmup > 0) {
          print("warm-up", warm);
        }
        if (warm.outcomes().containsKey("ConnectException")) {
          System.err.println("nothing answers at " + url + ": is the local stack running? (./tb local, or use --in-process)");
        }
        Phase measured = send(http, URI.create(url), secret, events, warmup, count);
        print("measured", measured);
        if (warmup == 0 && measured.outcomes().containsKey("ConnectException")) {
          System.err.println("nothing answers at " + url + ": is the local stack running? (./tb local, or use --in-process)");
        }
        code = warm.errors + measured.errors == 0 ? 0 : 1;
      }
      if (stack != null) {
        String queue = stack.queueUrl("IntakeQueue");
        Map<String, String> attrs = stack.sqs().getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings();
        System.out.printf(Locale.ROOT, "check    IntakeQueue holds %s message(s) (sent %d)%n",
            attrs.get("ApproximateNumberOfMessages"), warmup + count);
        if (breakdown > 0) {
          breakdown(stack, events, breakdown);
        }
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
    System.exit(code);
  }

  record Phase(long[] latencies, int errors, Map<String, Integer> outcomes, long wallNanos) {}

  static Phase send(HttpClient http, URI url, String secret, BenchEvents events, int first, int n)
      throws InterruptedException {
    long[] latencies = new long[n];
    Map<String, Integer> outcomes = new TreeMap<>();
    int errors = 0;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      byte[] body = events.body(first + i);
      HttpRequest request = io.telebridge.local.SignedPost.of(url, secret, body, Duration.ofSeconds(30));
      String outcome;
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        latencies[i] = System.nanoTime() - t0;
        outcome = Integer.toString(response.statusCode());
        if (response.statusCode() == 202 && response.body().contains("\"replay\":true")) {
          outcome = "202-replay";
        }
      } catch (IOException e) {
        latencies[i] = System.nanoTime() - t0;
        outcome = e.getClass().getSimpleName();
      }
      if (!outcome.equals("202")) {
        errors++;
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    return new Phase(latencies, errors, outcomes, System.nanoTime() - start);
  }

  static void print(String label, Phase p) {
    Stats s = new Stats(p.latencies());
    double seconds = p.wallNanos() / 1e9;
    System.out.printf(Locale.ROOT,
        "%-8s count=%d errors=%d answers=%s%n         ms: p50=%s p90=%s p99=%s max=%s mean=%s min=%s%n"
            + "         throughput=%.1f req/s (%d in %.2f s, one request at a time)%n",
        label, s.count(), p.errors(), p.outcomes(),
        Stats.fmt(s.percentileMs(50)), Stats.fmt(s.percentileMs(90)), Stats.fmt(s.percentileMs(99)),
        Stats.fmt(s.maxMs()), Stats.fmt(s.meanMs()), Stats.fmt(s.minMs()),
        s.count() / seconds, s.count(), seconds);
  }

  /**
   * The three dependency round trips of one accepted event, timed one by one from the stack's
   * own SDK clients (url-connection HTTP client, like the function's): the conditional claim
   * (PutItem), the SQS send (to a scratch FIFO queue), the completion (UpdateItem).
   */
  static void breakdown(LocalStack stack, BenchEvents events, int n) {
    String table = stack.tableName("IdempotencyTable");
    String queue = stack.sqs().createQueue(b -> b.queueName("BenchScratch.fifo").attributesWithStrings(
        Map.of("FifoQueue", "true"))).queueUrl();
    String body = new String(events.body(0), StandardCharsets.UTF_8);
    long[] put = new long[n];
    long[] send = new long[n];
    long[] update = new long[n];
    for (int i = -20; i < n; i++) { // 20 unrecorded warm-up rounds
      String key = "bench-breakdown-" + i;
      long t0 = System.nanoTime();
      stack.dynamoDb().putItem(b -> b.tableName(table)
          .item(Map.of("pk", s(key), "status", s("IN_PROGRESS"), "bodyHash", s("x".repeat(64)),
              "leaseUntil", AttributeValue.fromN(Long.toString(System.currentTimeMillis() + 30_000))))
          .conditionExpression("attribute_not_exists(pk)"));
      long t1 = System.nanoTime();
      int group = Math.floorMod(i, 5);
      String messageId = stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body)
          .messageGroupId("bench-pat-" + group).messageDeduplicationId(key)).messageId();
      long t2 = System.nanoTime();
      stack.dynamoDb().updateItem(b -> b.tableName(table).key(Map.of("pk", s(key)))
          .updateExpression("SET #status = :done, messageId = :m")
          .conditionExpression("#status = :inProgress")
          .expressionAttributeNames(Map.of("#status", "status"))
          .expressionAttributeValues(Map.of(":done", s("COMPLETED"), ":m", s(messageId), ":inProgress", s("IN_PROGRESS"))));
      long t3 = System.nanoTime();
      if (i >= 0) {
        put[i] = t1 - t0;
        send[i] = t2 - t1;
        update[i] = t3 - t2;
      }
    }
    System.out.printf(Locale.ROOT, "breakdown: %d sequential calls of each, from this JVM (ms)%n", n);
    for (Object[] row : new Object[][] {{"moto PutItem (conditional)", put}, {"ElasticMQ SendMessage (FIFO)", send},
        {"moto UpdateItem (conditional)", update}}) {
      Stats st = new Stats((long[]) row[1]);
      System.out.printf(Locale.ROOT, "  %-30s p50=%s p90=%s p99=%s mean=%s%n", row[0], Stats.fmt(st.percentileMs(50)),
          Stats.fmt(st.percentileMs(90)), Stats.fmt(st.percentileMs(99)), Stats.fmt(st.meanMs()));
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

}
