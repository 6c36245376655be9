package io.telebridge.local.bench;

import io.telebridge.local.Cli;
import io.telebridge.local.QueueCommand;
import io.telebridge.local.LoadPatients;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.RepoRoot;
import io.telebridge.local.aws.AwsClients;
import io.telebridge.matching.bench.UsPopulationGenerator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code ./tb bench load}: signed webhooks at a steady rate (open loop) against a running
 * {@code ./tb local} or an in-process stack; prints accepted/s, booking → ACK percentiles, queue
 * depth over time (and a PNG of it), errors, and what the EHR simulator received: lost, duplicated,
 * order violations per patient. See {@link LoadRun} for what is sent and how it is judged.
 */
public final class LoadBench {

  static final String USAGE = """
      Usage: ./tb bench load --rate R --seconds S [--patients N] [--in-process]
                             [--new 0.2] [--reschedule 0.15] [--cancel 0.15] [--max-in-flight 64]
                             [--drain 180] [--plot FILE] [--seed 42]
                             [--url U] [--sqs U] [--moto U] [--ehr-control U] [--secret S] [--tenant T]
        --rate R          events per second, on a schedule (open loop)
        --seconds S       how long to send (R x S events)
        --patients N      first bulk-load N generated EHR patients (./tb load-patients) into the identity index
        --in-process      start an own stack (bridge + EHR simulator, temp data) instead of using ./tb local
        --new/--reschedule/--cancel   shares of the mix: bookings for new patients, reschedules, cancels
                          (the rest: bookings of patients booked earlier in the run)
        --drain S         at most S seconds after the last answer for the EHR to get everything
        --plot FILE       the queue-depth PNG (default local/target/bench-load-depth.png)
        --url/--sqs/--moto/--ehr-control   a running stack's endpoints (defaults: ./tb local's)
      Exit 1 when anything was lost, duplicated or out of order, or a webhook was not accepted.
      """;

  /**
   * The report. The functions of an in-process stack print their EMF metric lines to stdout (as on
   * Lambda): main moves those to stderr, so stdout is this bench's figures alone.
   */
  static final java.io.PrintStream OUT = System.out;

  private LoadBench() {}

  public static void main(String[] argv) throws Exception {
    System.setOut(System.err);
    BenchArgs.main("load", argv, a -> System.exit(run(a)));
  }

  private static int run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    if (args.flag("--help") || args.flag("-h")) {
      OUT.print(USAGE);
      return 0;
    }
    boolean inProcess = args.flag("--in-process");
    LoadRun.Config config = new LoadRun.Config();
    config.rate = args.doubleOption("--rate", 10);
    int seconds = args.intOption("--seconds", 10);
    int patients = args.intOption("--patients", 0);
    config.newShare = args.doubleOption("--new", 0.2);
    config.rescheduleShare = args.doubleOption("--reschedule", 0.15);
    config.cancelShare = args.doubleOption("--cancel", 0.15);
    config.maxInFlight = args.intOption("--max-in-flight", 64);
    config.drain = Duration.ofSeconds(args.intOption("--drain", 180));
    config.seed = args.intOption("--seed", 42);
    Path repo = BenchArgs.repoRoot();
    Path plot = Path.of(args.option("--plot", repo.resolve("local/target/bench-load-depth.png").toString()));
    String url = args.option("--url", BenchArgs.env("TELEBRIDGE_API_URL", Cli.DEFAULT_API_URL));
    String sqsUrl = args.option("--sqs", "http://127.0.0.1:" + LocalStackOptions.DEFAULT_SQS_PORT);
    String motoUrl = args.option("--moto", "http://127.0.0.1:" + LocalStackOptions.DEFAULT_MOTO_PORT);
    String control = args.option("--ehr-control", "http://127.0.0.1:" + LocalStackOptions.DEFAULT_EHR_CONTROL_PORT);
    String secret = args.option("--secret",
        BenchArgs.env("TELEBRIDGE_WEBHOOK_SECRET", LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET));
    String tenant = args.option("--tenant", Cli.DEFAULT_TENANT);
    args.done(USAGE);
    if (config.rate <= 0 || seconds < 1 || patients < 0 || config.newShare <= 0
        || config.newShare + config.rescheduleShare + config.cancelShare > 1) {
      throw new IllegalArgumentException("--rate > 0, --seconds >= 1, --patients >= 0, 0 < --new and the shares <= 1\n"
          + USAGE);
    }
    config.count = (int) Math.round(config.rate * seconds);

    OUT.printf(Locale.ROOT, "machine  %d cpu(s), load average %.1f at the start (other engineers share this"
        + " machine today); %s %s%n", Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
    if (inProcess) {
      Path template = repo.resolve(RepoRoot.TEMPLATE);
      long t = System.nanoTime();
      try (LocalStack stack = BenchArgs.start(BenchArgs.bridgeStack())) {
          OUT.printf(Locale.ROOT, "stack    in-process, up in %d ms (bridge + EHR simulator, temp data)%n",
            (System.nanoTime() - t) / 1_000_000);
        if (patients > 0) {
          bulkLoad(patients, stack.motoEndpoint(), tenant);
        }
        CpuProfile cpu = new CpuProfile();
        int code = report(LoadRun.run(target(stack, tenant), config, repo, null), config, plot);
        OUT.println(cpu.report());
        return code;
      }
    }
    try (SqsClient sqs = AwsClients.sqs(URI.create(sqsUrl))) {
      OUT.printf(Locale.ROOT, "stack    running ./tb local: %s, SQS %s, EHR simulator control %s%n", url, sqsUrl,
          control);
      if (patients > 0) {
        bulkLoad(patients, URI.create(motoUrl), tenant);
      }
      LoadRun.Target target = new LoadRun.Target(URI.create(url), secret, tenant, EhrView.control(URI.create(control)),
          sqs, queues(sqs, "IntakeQueue", "ToEhrQueue"), queues(sqs, "IntakeDeadLetterQueue", "ToEhrDeadLetterQueue"));
      return report(LoadRun.run(target, config, repo, null), config, plot);
    }
  }

  /** The in-process stack as a load target: its API, the intake and to-EHR queues, its EHR simulator. */
  public static LoadRun.Target target(LocalStack stack, String tenant) {
    Map<String, String> queues = new LinkedHashMap<>();
    queues.put("IntakeQueue", stack.queueUrl("IntakeQueue"));
    queues.put("ToEhrQueue", stack.queueUrl("ToEhrQueue"));
    Map<String, String> dead = new LinkedHashMap<>();
    dead.put("IntakeDeadLetterQueue", stack.queueUrl("IntakeDeadLetterQueue"));
    dead.put("ToEhrDeadLetterQueue", stack.queueUrl("ToEhrDeadLetterQueue"));
    return new LoadRun.Target(stack.apiUrl("/v1/events"), stack.devSigningSecret(), tenant,
        EhrView.of(stack.ehrSimulator()), stack.sqs(), queues, dead);
  }

  static Map<String, String> queues(SqsClient sqs, String... logicalIds) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String id : logicalIds) {
      String queueUrl = QueueCommand.findQueue(sqs, id);
      if (queueUrl == null) {
        throw new IllegalStateException("no queue " + id + " at the SQS endpoint: is ./tb local running?");
      }
      out.put(id, queueUrl);
    }
    return out;
  }

  /** N generated US patients (UsPopulationGenerator) through the existing bulk loader. */
  static void bulkLoad(int patients, URI moto, String tenant) throws Exception {
    Path csv = Files.createTempFile("bench-load-patients-", ".csv");
    try {
      UsPopulationGenerator.write(csv, patients, UsPopulationGenerator.DEFAULT_SEED);
      OUT.printf(Locale.ROOT, "patients ");
      OUT.flush();
      int code = LoadPatients.run(new java.util.ArrayList<>(List.of(csv.toString(), "--endpoint", moto.toString(),
          "--tenant", tenant)), OUT, System.err);
      if (code != 0) {
        throw new IllegalStateException("bulk load failed (exit " + code + ")");
      }
    } finally {
      Files.deleteIfExists(csv);
    }
  }

  static int report(LoadRun.Result r, LoadRun.Config config, Path plot) throws java.io.IOException {
    OUT.printf(Locale.ROOT, "sent     %d events at %.1f/s scheduled (%.0f %% new-patient bookings, %.0f %% reschedules,"
        + " %.0f %% cancels), copies %d, at most %d requests in flight%n", r.events(), config.rate,
        100 * config.newShare, 100 * config.rescheduleShare, 100 * config.cancelShare, config.copies, config.maxInFlight);
    OUT.printf(Locale.ROOT, "accepted %d in %.1f s = %.1f accepted/s; answers %s%n", r.accepted(), r.sendSeconds(),
        r.accepted() / Math.max(r.sendSeconds(), 1e-9), r.outcomes());
    OUT.println("latency  (from each event's scheduled time)");
    OUT.println("  booking -> its SIU^S12 ACKed by the EHR  " + LoadRun.percentiles(r.bookingToAck()));
    OUT.println("  any event -> its last message ACKed      " + LoadRun.percentiles(r.allToAck()));
    OUT.println("  event -> 202 (intake)                    " + LoadRun.percentiles(r.postTo202()));
    OUT.printf(Locale.ROOT, "queues   max depth %s; dead-lettered %d%n", r.maxDepth(), r.deadLettered());
    OUT.printf(Locale.ROOT, "EHR      expected %d messages: lost %d, duplicated (ACKed twice) %d, order violations %d;"
        + " NACKed %d, resent after no ACK %d; drained %.1f s after the last event was due%n", r.expectedMessages(),
        r.lost(), r.duplicated(), r.orderViolations(), r.nacked(), r.resentAfterNoAck(), r.drainSeconds());
    r.disorders().forEach(d -> OUT.println("         out of order: " + d));
    StringBuilder line = new StringBuilder("depth    every 5 s (intake/to-EHR, visible + in flight):");
    double next = 0;
    for (LoadRun.Sample s : r.depthOverTime()) {
      if (s.seconds() >= next) {
        line.append(String.format(Locale.ROOT, " %.0fs:%s", s.seconds(), String.join("/",
            s.depth().values().stream().map(v -> v < 0 ? "-" : Long.toString(v)).toList())));
        next += 5;
      }
    }
    OUT.println(line);
    DepthPlot.write(plot, String.format(Locale.ROOT, "queue depth, %d events at %.0f/s", r.events(), config.rate),
        r.depthOverTime(), r.sendSeconds());
    OUT.println("plot     " + plot);
    boolean ok = r.lost() == 0 && r.duplicated() == 0 && r.orderViolations() == 0 && r.accepted() == r.events();
    return ok ? 0 : 1;
  }

}
