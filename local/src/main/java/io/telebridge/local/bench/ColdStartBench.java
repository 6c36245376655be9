package io.telebridge.local.bench;

import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.RepoRoot;
import io.telebridge.local.bench.ColdStartFixtures.Fixture;
import io.telebridge.local.bench.ColdStartSpawn.Sample;
import io.telebridge.local.lambda.FunctionSpec;
import io.telebridge.local.lambda.LocalFunction;
import java.io.File;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cold start: "fresh JVM to first response" of each function's real handler beside a bare handler of
 * the same kind, alternating, in one run. For every function, run, variant and handler, spawns
 * {@code java -cp <function jar>:<probe jar> ColdStartProbe <handler> <event> api|sqs|stream [primed]}
 * ({@link ColdStartSpawn}) with the environment the local stack resolves for the function, and
 * measures process start to the probe's output line. What each function is fed and how its answer is
 * checked is its {@link ColdStartFixtures.Fixture}: real answers through ElasticMQ, moto, the platform
 * simulator and (for the context functions) the local FHIR server.
 *
 * <pre>
 *   ./tb bench coldstart [--runs 3] [--discard 1] [--variants default,c1,primed] [--functions all|Id,Id]
 * </pre>
 *
 * Variant {@code default}: no JVM options. {@code c1}: JAVA_TOOL_OPTIONS as template.yaml's Globals
 * set it ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}), passed the way Lambda passes it (the
 * environment variable). {@code primed}: as c1, and between init and the invoke the probe runs what a
 * SnapStart snapshot and restore run (the handler's {@code io.telebridge.aws.Priming}): its invoke is the
 * first request after a restore, less the restore. {@code cds}: as c1, with a dynamic AppCDS archive of
 * the handler's classes made by the discarded round. Prints figures; asserts nothing about time.
 */
public final class ColdStartBench {

  static final String USAGE = """
      Usage: ./tb bench coldstart [--runs 3] [--discard 1] [--variants default,c1,primed] [--functions all]
                                  [--event FILE] [--hl7 FILE] [--template FILE] [--fhir-upstream URL]
        --functions   all (IntakeFunction, ToEhrTranslatorFunction, FromEhrTranslatorFunction,
                      PlatformDeliveryFunction, ContextFunction, ContextApiFunction) or a comma-separated list
                      (--function ID: one)
        --discard N   untimed spawns of each kind first (file cache, CDS archive), not reported
        --variants    default = no JVM options; c1 = JAVA_TOOL_OPTIONS from template.yaml Globals;
                      primed = c1 + the handler's SnapStart priming between init and the timed invoke;
                      cds = c1 + an AppCDS archive of the handler's classes (-XX:+AutoCreateSharedArchive: made
                      by the first, discarded, spawn; --discard 1 at least). Default: default,c1,primed
        --event FILE  the booking the intake and the to-EHR translator get (default events/appointment.booked.json)
        --hl7 FILE    the HL7 message the from-EHR translator gets, with a fresh MSH-10 per spawn (default
                      tests/fixtures/hl7v2/inbound/oru-r01.v251.epic-like.hl7, its MRN linked to a platform patient)
        --template F  another template (default template.yaml; CodeUri paths are relative to its folder)
        --fhir-upstream URL  a FHIR server that already runs (seeded) instead of the local FHIR child process
                      (the context functions pull from it; the others do not need one)
      """;

  static final String C1_FALLBACK = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
  static final List<String> VARIANTS = List.of("default", "c1", "primed", "cds");

  /** Event numbers are unique across the functions of a run (the intake's event ids are claimed for good). */
  private static final java.util.concurrent.atomic.AtomicInteger EVENTS = new java.util.concurrent.atomic.AtomicInteger();

  private ColdStartBench() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs.main("coldstart", argv, a -> System.exit(run(a) ? 0 : 1));
  }

  /** The functions to measure: {@code all}, or the listed ones. */
  static List<String> functions(String option) {
    if (option == null || option.equals("all")) {
      return ColdStartFixtures.ALL;
    }
    return List.of(option.split(","));
  }

  static List<String> variants(String option) {
    List<String> variants = List.of(option.split(","));
    for (String v : variants) {
      if (!VARIANTS.contains(v)) {
        throw new IllegalArgumentException("unknown variant " + v + " " + VARIANTS);
      }
    }
    return variants;
  }

  private static boolean run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    if (args.flag("--help") || args.flag("-h")) {
      System.out.print(USAGE);
      return true;
    }
    int runs = args.intOption("--runs", 3);
    int discard = args.intOption("--discard", 1);
    List<String> variants = variants(args.option("--variants", "default,c1,primed"));
    String one = args.option("--function", null);
    List<String> functions = functions(one != null ? one : args.option("--functions", "all"));
    Path eventFile = Path.of(args.option("--event", BenchEvents.defaultFile().toString()));
    Path repo = BenchArgs.repoRoot();
    Path hl7File = Path.of(args.option("--hl7", repo.resolve("tests/fixtures/hl7v2/inbound/oru-r01.v251.epic-like.hl7")
        .toString()));
    String templateOption = args.option("--template", null);
    String fhirUpstream = args.option("--fhir-upstream", null);
    args.done(USAGE);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path work = Files.createTempDirectory("telebridge-coldstart-");
    Path templateFile = templateOption == null ? repo.resolve(RepoRoot.TEMPLATE) : Path.of(templateOption).toAbsolutePath();
    boolean fhir = functions.stream().anyMatch(ColdStartFixtures.FHIR::contains);
    Set<String> off = new LinkedHashSet<>(functions);
    off.add("PlatformDeliveryFunction"); // what the functions queue for the platform is counted here
    LocalStackOptions options = LocalStackOptions.forTests(templateFile).disableEventSources(off.toArray(String[]::new))
        .runFhir(fhir && fhirUpstream == null);
    if (fhirUpstream != null) {
      options.fhirUpstream(fhirUpstream).runFhir(true);
    }
    boolean allOk = true;
    try (LocalStack stack = BenchArgs.start(options);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      if (fhir) {
        stack.fhir().awaitFhirServer(options.fhirStartTimeout());
      }
      Path probeJar = ColdStartSpawn.buildProbeJar(work.resolve("probe.jar"));
      String tag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
      ColdStartFixtures.Setup setup = new ColdStartFixtures.Setup(stack, http, new BenchEvents(eventFile, 5), hl7File, tag);
      System.out.printf(Locale.ROOT, "machine  %d cpu(s), %s %s (%s)%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), java);
      System.out.printf(Locale.ROOT, "variants default = no JVM options; c1 = JAVA_TOOL_OPTIONS from template.yaml Globals;"
          + " primed = c1 + priming (Priming.checkpointRestore) between init and the invoke%n");
      System.out.printf(Locale.ROOT, "runs     %d timed (+%d discarded) per function, handler and variant, alternating%n",
          runs, discard);
      Map<String, List<Sample>> byFunction = new LinkedHashMap<>();
      for (String functionId : functions) {
        List<Sample> samples = new ArrayList<>();
        allOk &= measure(stack, setup, functionId, java, probeJar, work, variants, runs, discard, samples);
        byFunction.put(functionId, samples);
      }
      ColdStartReport.summary(byFunction, variants, runs);
      ColdStartReport.jars(stack, repo);
    } finally {
      ColdStartSpawn.deleteTree(work);
    }
    if (!allOk) {
      System.err.println("coldstart: some probe answered other than its fixture expects (see the result column)");
    }
    return allOk;
  }

  /** All runs of one function: its fixture, bare and real handler, each variant. Returns whether every answer was right. */
  static boolean measure(LocalStack stack, ColdStartFixtures.Setup setup, String functionId, Path java, Path probeJar,
      Path work, List<String> variants, int runs, int discard, List<Sample> samples) throws Exception {
    LocalFunction function = ColdStartFixtures.deployable(stack, functionId);
    FunctionSpec spec = function.spec();
    Fixture fixture = ColdStartFixtures.of(setup, functionId);
    Map<String, String> functionEnv = new LinkedHashMap<>(stack.functionEnvironment(functionId));
    fixture.adjust(functionEnv);
    String c1Options = functionEnv.remove("JAVA_TOOL_OPTIONS");
    if (c1Options == null) {
      c1Options = C1_FALLBACK;
    }
    String classpath = spec.codeJar() + File.pathSeparator + probeJar;
    String label = ColdStartFixtures.label(functionId);
    Map<String, String> handlers = new LinkedHashMap<>();
    handlers.put("bare", fixture.bareHandler());
    if (fixture.bareStreamHandler() != null) {
      handlers.put("bare-stream", fixture.bareStreamHandler());
    }
    handlers.put(label, spec.handlerClassName());
    System.out.printf(Locale.ROOT, "%n== %s (%s, %s)%n", functionId, spec.handlerClassName(), spec.codeJar().getFileName());
    System.out.printf(Locale.ROOT, "event    %s%n", fixture.describe());
    System.out.printf(Locale.ROOT, "c1       JAVA_TOOL_OPTIONS=\"%s\"%n", c1Options);
    System.out.printf(Locale.ROOT, "%-8s %-11s %4s %9s %10s %8s %8s %9s %9s %10s %8s%n", "variant", "handler", "run",
        "wall ms", "uptime ms", "init ms", "prime ms", "invoke ms", "(deser", "handle)", "result");
    boolean ok = true;
    for (int run = 1 - discard; run <= runs; run++) {
      for (String variant : variants) {
        List<String> order = new ArrayList<>(handlers.keySet());
        if (Math.floorMod(run, 2) == 0) {
          order = order.reversed();
        }
        for (String name : order) {
          Map<String, String> env = new LinkedHashMap<>(functionEnv);
          if (variant.equals("cds")) {
            // an AppCDS archive of this handler's classes: written at the first (discarded) spawn's exit, used after
            env.put("JAVA_TOOL_OPTIONS", c1Options + " -XX:SharedArchiveFile=" + work.resolve(label + "-" + name + ".jsa")
                + " -XX:+AutoCreateSharedArchive");
          } else if (!variant.equals("default")) {
            env.put("JAVA_TOOL_OPTIONS", c1Options);
          }
          int eventNumber = EVENTS.getAndIncrement();
          Path event = work.resolve("event-" + functionId + "-" + eventNumber + ".json");
          fixture.prepare(event, eventNumber);
          Sample s = ColdStartSpawn.spawn(java, classpath, handlers.get(name), event, fixture.kind(),
              variant.equals("primed"), env, variant, name, run);
          s = fixture.check(s, name.startsWith("bare"));
          if (run >= 1) {
            samples.add(s);
          }
          System.out.printf(Locale.ROOT, "%-8s %-11s %4s %9.1f %10.1f %8.1f %8.1f %9.1f %9.1f %10.1f %8s%n", variant,
              name, run >= 1 ? Integer.toString(run) : "(d)", s.wallMs(), s.uptimeMs(), s.initMs(), s.primeMs(),
              s.invokeMs(), s.deserMs(), s.handleMs(), s.result() + (s.ok() ? "" : " !"));
          if (!s.ok()) {
            ok = false;
            System.err.println("probe (" + functionId + ", " + variant + ", " + name + ") answered " + s.result()
                + "; stderr:\n" + ColdStartSpawn.lastStderr);
          }
        }
      }
    }
    return ok;
  }

}
