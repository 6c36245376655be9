package io.telebridge.local.bench;

import io.telebridge.local.Cli;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.aws.AwsClients;
import io.telebridge.local.platform.PlatformSimulator;
import io.telebridge.mllp.sim.Answer;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.SimRule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@code ./tb bench faults}: the pipeline under faults, one fresh stack per scenario, a table at the
 * end: bookings, lost, duplicated at the EHR (the same MSH-10 acknowledged twice), order violations,
 * time to drain. Goal: 0 lost; duplicates only the message in flight at a crash; 0 order violations.
 */
public final class FaultBench {

  static final String USAGE = """
      Usage: ./tb bench faults [--bookings 40] [--rate 2] [--scale 0.25] [--only NAME[,NAME]] [--drain 300]
        --bookings N   events per scenario (the load mix of ./tb bench load)
        --rate R       events per second
        --scale F      outage lengths: F x 60 s (EHR down, platform 503/429); F x 40 s (moto, ElasticMQ down)
        --only NAMES   run only these scenarios: %s
      Exit 1 when a scenario lost a message, put one out of order, or duplicated one it should not have.
      """;

  static final List<String> SCENARIOS = List.of("baseline", "ehr-down", "ae-storm", "ar-storm", "ehr-drops",
      "webhook-3x", "kill-9", "moto-crash", "sqs-restart", "platform-503", "platform-429");

  /** One row of the table. */
  public record Row(String scenario, LoadRun.Result result, int allowedDuplicates, String note) {
    public boolean ok() {
      return result.lost() == 0 && result.orderViolations() == 0 && result.duplicated() <= allowedDuplicates
          && result.accepted() == result.events()
          && result.outcomes().keySet().stream().noneMatch(k -> k.contains("accepted") || k.contains("replay"));
    }
  }

  /**
   * The report. The functions of an in-process stack print their EMF metric lines to stdout (as on
   * Lambda): main moves those to stderr, so stdout is this bench's figures alone.
   */
  static final java.io.PrintStream OUT = System.out;

  private FaultBench() {}

  public static void main(String[] argv) throws Exception {
    System.setOut(System.err);
    BenchArgs.main("faults", argv, a -> System.exit(run(a)));
  }

  private static int run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    String usage = USAGE.formatted(String.join(", ", SCENARIOS));
    if (args.flag("--help") || args.flag("-h")) {
      OUT.print(usage);
      return 0;
    }
    int bookings = args.intOption("--bookings", 40);
    double rate = args.doubleOption("--rate", 2);
    double scale = args.doubleOption("--scale", 0.25);
    int drain = args.intOption("--drain", 300);
    String only = args.option("--only", String.join(",", SCENARIOS));
    args.done(usage);
    List<String> chosen = List.of(only.split(","));
    for (String s : chosen) {
      if (!SCENARIOS.contains(s)) {
        throw new IllegalArgumentException("unknown scenario " + s + "\n" + usage);
      }
    }
    Path repo = BenchArgs.repoRoot();
    OUT.printf(Locale.ROOT, "machine  %d cpu(s), load average %.1f (shared with other engineers today)%n",
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    OUT.printf(Locale.ROOT, "suite    %d events per scenario at %.1f/s, outages x%.2f, bridge NACK_RETRY_DELAY_SECONDS=%d%n%n",
        bookings, rate, scale, NACK_DELAY);
    List<Row> rows = new ArrayList<>();
    for (String s : chosen) {
      LoadRun.Config config = new LoadRun.Config();
      config.count = bookings;
      config.rate = rate;
      config.drain = Duration.ofSeconds(drain);
      config.runId = s + "-" + Long.toString(System.currentTimeMillis(), 36);
      OUT.printf(Locale.ROOT, "== %s%n", s);
      Row row;
      try {
        row = scenario(s, repo, config, scale);
      } catch (Exception e) {
        OUT.printf(Locale.ROOT, "   failed to run: %s%n", e);
        continue;
      }
      rows.add(row);
      LoadRun.Result r = row.result();
      OUT.printf(Locale.ROOT, "   %d events, accepted %d %s; lost %d, duplicated %d, order violations %d, NACKed %d,"
          + " resent after no ACK %d, dead-lettered %d, drained %.1f s after the last was due%n", r.events(),
          r.accepted(), r.outcomes(), r.lost(), r.duplicated(), r.orderViolations(), r.nacked(), r.resentAfterNoAck(),
          r.deadLettered(), r.drainSeconds());
      r.disorders().forEach(d -> OUT.println("   out of order: " + d));
    }
    OUT.println();
    OUT.println("| scenario | events | accepted | messages | lost | duplicated at the EHR | order violations"
        + " | NACKed / resent | dead-lettered | drain s | ok | note |");
    OUT.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    boolean ok = true;
    for (Row row : rows) {
      LoadRun.Result r = row.result();
      OUT.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d / %d | %d | %.1f | %s | %s |%n", row.scenario(),
          r.events(), r.accepted(), r.expectedMessages(), r.lost(), r.duplicated(), r.orderViolations(), r.nacked(),
          r.resentAfterNoAck(), r.deadLettered(), r.drainSeconds(), row.ok() ? "yes" : "NO", row.note());
      ok &= row.ok();
    }
    return ok && rows.size() == chosen.size() ? 0 : 1;
  }

  static final int NACK_DELAY = 2;

  public static Row scenario(String name, Path repo, LoadRun.Config config, double scale) throws Exception {
    Duration outage = Duration.ofMillis((long) (60_000 * scale));
    Duration emulatorOutage = Duration.ofMillis((long) (40_000 * scale));
    int storm = Math.max(3, config.count / 4);
    return switch (name) {
      case "baseline" -> inProcess(name, repo, config, null, 0, "no fault");
      case "ehr-down" -> inProcess(name, repo, config, stack -> {
        EhrSimulator ehr = stack.ehrSimulator();
        ehr.stopListening();
        sleep(outage);
        try {
          ehr.startListening();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, 0, "EHR refuses connections for " + outage.toSeconds() + " s from half-way");
      case "ae-storm" -> inProcess(name, repo, config,
          stack -> stack.ehrSimulator().addRule(SimRule.answer(Answer.AE).times(storm)), 0,
          "the next " + storm + " messages from half-way answered AE");
      case "ar-storm" -> inProcess(name, repo, config,
          stack -> stack.ehrSimulator().addRule(SimRule.answer(Answer.AR).times(storm)), 0,
          "the next " + storm + " messages from half-way answered AR");
      case "ehr-drops" -> inProcess(name, repo, config,
          stack -> stack.ehrSimulator().addRule(SimRule.answer(Answer.DROP).times(storm)), 0,
          "the EHR closes the connection without an ACK, " + storm + " times from half-way");
      case "webhook-3x" -> {
        config.copies = 3;
        yield inProcess(name, repo, config, null, 0, "every webhook sent 3 times at once");
      }
      case "kill-9" -> killNine(repo, config);
      case "moto-crash" -> inProcess(name, repo, config, stack -> {
        try {
          stack.crashAndRestartMoto(emulatorOutage);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, 0, "moto SIGKILLed at half-way, started again after " + emulatorOutage.toSeconds() + " s (log replayed)");
      case "sqs-restart" -> inProcess(name, repo, config, stack -> {
        try {
          stack.restartElasticMq(emulatorOutage);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, 1, "ElasticMQ stopped at half-way, started again after " + emulatorOutage.toSeconds() + " s; at most the"
          + " message on the MLLP link again (ACKed, its delete refused)");
      case "platform-503" -> platform(repo, config, 503, outage);
      case "platform-429" -> platform(repo, config, 429, outage);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static LocalStackOptions options(Path repo) {
    return BenchArgs.bridgeStack().platformConsole(null).bridgeEnvironment("NACK_RETRY_DELAY_SECONDS", Integer.toString(NACK_DELAY));
  }

  static Row inProcess(String name, Path repo, LoadRun.Config config, Consumer<LocalStack> fault,
      int allowedDuplicates, String note) throws Exception {
    try (LocalStack stack = BenchArgs.start(options(repo))) {
      
      Runnable atHalfway = fault == null ? null : () -> fault.accept(stack);
      LoadRun.Result r = LoadRun.run(LoadBench.target(stack, Cli.DEFAULT_TENANT), config, repo, atHalfway);
      return new Row(name, r, allowedDuplicates, note);
    }
  }

  /** The whole stack SIGKILLed at half-way (a child JVM) and started again on the same ports and data. */
  static Row killNine(Path repo, LoadRun.Config config) throws Exception {
    Path dir = Files.createTempDirectory("telebridge-faults-");
    Path data = dir.resolve("data");
    Path output = dir.resolve("stack.out");
    Map<String, Integer> ports = StackChild.freePorts(true);
    List<StackChild> current = new ArrayList<>();
    List<String> extra = List.of("--no-fhir", "--bridge-env", "NACK_RETRY_DELAY_SECONDS=" + NACK_DELAY);
    current.add(StackChild.start(repo, data, ports, true, output, extra));
    try (SqsClient sqs = AwsClients.sqs(URI.create("http://127.0.0.1:" + ports.get("--sqs-port")))) {
      LoadRun.Target target = new LoadRun.Target(
          URI.create("http://127.0.0.1:" + ports.get("--api-port") + "/v1/events"),
          LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET, Cli.DEFAULT_TENANT, EhrView.receivedLog(data.resolve("ehr-simulator")),
          sqs, LoadBench.queues(sqs, "IntakeQueue", "ToEhrQueue"),
          LoadBench.queues(sqs, "IntakeDeadLetterQueue", "ToEhrDeadLetterQueue"));
      long[] restartMs = new long[1];
      LoadRun.Result r = LoadRun.run(target, config, repo, () -> {
        try {
          current.get(0).killHard();
          long t = System.nanoTime();
          current.set(0, StackChild.start(repo, data, ports, true, output, extra));
          restartMs[0] = (System.nanoTime() - t) / 1_000_000;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      return new Row("kill-9", r, 1, "the stack JVM SIGKILLed at half-way, restarted on the same data in "
          + restartMs[0] / 1000 + " s; output " + output);
    } finally {
      current.get(0).close();
    }
  }

  /**
   * The return path: events put on the to-platform queue (one group per patient, as the from-EHR
   * translator does), the platform simulator answering {@code status} to every delivery for
   * {@code outage} from half-way; then lost, duplicated (an Idempotency-Key answered 2xx twice) and
   * order per patient at the platform.
   */
  static Row platform(Path repo, LoadRun.Config config, int status, Duration outage) throws Exception {
    try (LocalStack stack = BenchArgs.start(options(repo))) {
      
      PlatformSimulator platform = stack.platformSimulator();
      String queue = stack.queueUrl("ToPlatformQueue");
      String dlq = stack.queueUrl("ToPlatformDeadLetterQueue");
      int patients = Math.max(1, config.count / 4);
      Map<String, String> patientOf = new LinkedHashMap<>();
      List<String> ids = new ArrayList<>();
      long period = (long) (1e9 / config.rate);
      long start = System.nanoTime();
      for (int n = 0; n < config.count; n++) {
        long wait = start + n * period - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (n == config.count / 2) {
          PlatformSimulator.Rule rule = PlatformSimulator.Rule.answer(status, -1);
          platform.addRule(status == 429 ? rule.retryAfter(5) : rule);
          Thread.ofVirtual().start(() -> {
            sleep(outage);
            platform.clearRules();
          });
        }
        String id = config.runId + "-" + n;
        String patient = "pat-" + config.runId + "-" + (n % patients);
        patientOf.put(id, patient);
        ids.add(id);
        String group = Cli.DEFAULT_TENANT + ":" + patient;
        stack.sqs().sendMessage(b -> b.queueUrl(queue).messageGroupId(group).messageDeduplicationId(id)
            .messageBody("{\"eventId\":\"" + id + "\",\"type\":\"ehr.result.available\",\"tenant\":\""
                + Cli.DEFAULT_TENANT + "\"}")
            .messageAttributes(Map.of(
                "eventId", MessageAttributeValue.builder().dataType("String").stringValue(id).build(),
                "eventType", MessageAttributeValue.builder().dataType("String").stringValue("ehr.result.available").build())));
      }
      long lastDue = start + (config.count - 1) * period;
      long deadline = System.nanoTime() + config.drain.toNanos();
      long drained = -1;
      while (System.nanoTime() < deadline) {
        long delivered = platform.received().stream().filter(d -> d.status() / 100 == 2)
            .map(PlatformSimulator.Delivery::idempotencyKey).filter(patientOf::containsKey).distinct().count();
        if (delivered + depth(stack.sqs(), dlq) >= ids.size()) {
          drained = System.nanoTime();
          break;
        }
        Thread.sleep(250);
      }
      Thread.sleep(2_000);
      Map<String, Integer> accepted = new HashMap<>();
      Map<String, Integer> firstIndex = new HashMap<>();
      int failedAnswers = 0;
      List<PlatformSimulator.Delivery> all = platform.received();
      for (int i = 0; i < all.size(); i++) {
        PlatformSimulator.Delivery d = all.get(i);
        if (d.status() / 100 == 2) {
          accepted.merge(d.idempotencyKey(), 1, Integer::sum);
          firstIndex.putIfAbsent(d.idempotencyKey(), i);
        } else {
          failedAnswers++;
        }
      }
      long dead = depth(stack.sqs(), dlq);
      int missing = 0;
      int duplicated = 0;
      for (String id : ids) {
        int times = accepted.getOrDefault(id, 0);
        missing += times == 0 ? 1 : 0;
        duplicated += Math.max(0, times - 1);
      }
      int violations = 0;
      Map<String, Integer> last = new HashMap<>();
      for (String id : ids) {
        Integer at = firstIndex.get(id);
        if (at == null) {
          continue;
        }
        Integer before = last.get(patientOf.get(id));
        if (before != null && at < before) {
          violations++;
        }
        last.merge(patientOf.get(id), at, Math::max);
      }
      Stats none = new Stats(new long[0]);
      LoadRun.Result r = new LoadRun.Result(ids.size(), ids.size(), Map.of("queued", ids.size()), ids.size(),
          (int) Math.max(0, missing - dead), duplicated, 0, failedAnswers, dead, violations,
          (System.nanoTime() - start) / 1e9, drained < 0 ? Double.NaN : (drained - lastDue) / 1e9, none, none, none,
          Map.of(), List.of(), List.of());
      return new Row("platform-" + status, r, 0, "the platform answers " + status
          + (status == 429 ? " (Retry-After: 5)" : "") + " to every delivery for " + outage.toSeconds()
          + " s from half-way; " + patients + " patients; NACKed = deliveries answered " + status);
    }
  }

  private static long depth(SqsClient sqs, String url) {
    Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
    return Long.parseLong(a.getOrDefault("ApproximateNumberOfMessages", "0"))
        + Long.parseLong(a.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
