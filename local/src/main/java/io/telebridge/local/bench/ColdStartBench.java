package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.RepoRoot;
import io.telebridge.local.http.ApiGatewayEvents;
import io.telebridge.local.http.ApiRequest;
import io.telebridge.local.http.ApiRoute;
import io.telebridge.local.lambda.FunctionSpec;
import io.telebridge.local.lambda.LocalFunction;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Cold start: "fresh JVM to first response" of the real intake handler beside a bare handler,
 * alternating, in one run. For every run and JVM flag variant, spawns
 * {@code java -cp <function jar>:<probe jar> ColdStartProbe <handler> <event>} with the
 * environment the local stack resolves for IntakeFunction (so the intake's first answer is a real
 * 202 through ElasticMQ and moto), and measures process start to the probe's output line.
 *
 * <pre>
 *   ./tb bench coldstart [--runs 5] [--discard 1] [--variants default,c1] [--function IntakeFunction]
 * </pre>
 *
 * Variant {@code default}: no JVM options. {@code c1}: JAVA_TOOL_OPTIONS as template.yaml's
 * Globals set it ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}), passed the way
 * Lambda passes it (the environment variable). Prints figures; asserts nothing about time.
 */
public final class ColdStartBench {

  static final String USAGE = """
      Usage: ./tb bench coldstart [--runs 5] [--discard 1] [--variants default,c1] [--function IntakeFunction]
        --discard N   untimed spawns of each kind first (file cache, CDS archive), not reported
        --variants    default = no JVM options; c1 = JAVA_TOOL_OPTIONS from template.yaml Globals
      """;

  static final String C1_FALLBACK = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

  private ColdStartBench() {}

  record Sample(String variant, String handler, int run, double wallMs, double uptimeMs, double mainAtMs,
      double initMs, double readMs, double invokeMs, double deserMs, double handleMs, int status) {}

  public static void main(String[] argv) throws Exception {
    try {
      run(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  private static void run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    if (args.flag("--help") || args.flag("-h")) {
      System.out.print(USAGE);
      return;
    }
    int runs = args.intOption("--runs", 5);
    int discard = args.intOption("--discard", 1);
    List<String> variants = List.of(args.option("--variants", "default,c1").split(","));
    String functionId = args.option("--function", "IntakeFunction");
    Path eventFile = Path.of(args.option("--event", BenchEvents.defaultFile().toString()));
    args.done(USAGE);
    for (String v : variants) {
      if (!v.equals("default") && !v.equals("c1")) {
        throw new IllegalArgumentException("unknown variant " + v + " (default, c1)");
      }
    }

    Path repo = BenchArgs.repoRoot();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path work = Files.createTempDirectory("telebridge-coldstart-");
    BenchEvents events = new BenchEvents(eventFile, 5);

    boolean allAccepted = true;
    try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(repo.resolve(RepoRoot.TEMPLATE)))) {
      LocalFunction function = stack.function(functionId);
      FunctionSpec spec = function.spec();
      if (spec.codeJar() == null || !Files.isRegularFile(spec.codeJar())) {
        throw new IllegalStateException(functionId + ": no deployable jar at " + spec.codeJar() + " (mvn package first)");
      }
      ApiRoute route = stack.routes().stream().filter(r -> r.function() == function).findFirst()
          .orElseThrow(() -> new IllegalStateException(functionId + " has no API route"));
      Map<String, String> functionEnv = new LinkedHashMap<>(stack.functionEnvironment(functionId));
      String c1Options = functionEnv.remove("JAVA_TOOL_OPTIONS");
      if (c1Options == null) {
        c1Options = C1_FALLBACK;
      }
      Path probeJar = buildProbeJar(work.resolve("probe.jar"));
      String classpath = spec.codeJar() + File.pathSeparator + probeJar;
      Map<String, String> handlers = new LinkedHashMap<>();
      handlers.put("bare", BareHandler.class.getName());
      handlers.put("intake", spec.handlerClassName());

      System.out.printf(Locale.ROOT, "machine  %d cpu(s), %s %s (%s)%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), java);
      System.out.printf(Locale.ROOT, "probe    java -cp %s %s <handler> <event.json>%n", classpath, ColdStartProbe.class.getName());
      System.out.printf(Locale.ROOT, "handlers bare = %s, intake = %s (%s's environment from the in-process local stack)%n",
          handlers.get("bare"), handlers.get("intake"), functionId);
      System.out.printf(Locale.ROOT, "variants default = no JVM options; c1 = JAVA_TOOL_OPTIONS=\"%s\"%n", c1Options);
      System.out.printf(Locale.ROOT, "runs     %d timed (+%d discarded) per handler and variant, alternating%n%n", runs, discard);
      System.out.printf(Locale.ROOT, "%-8s %-7s %4s %9s %10s %9s %8s %9s %9s %10s %7s%n",
          "variant", "handler", "run", "wall ms", "uptime ms", "main@ ms", "init ms", "invoke ms", "(deser", "handle)", "status");

      List<Sample> samples = new ArrayList<>();
      int eventNumber = 0;
      for (int run = 1 - discard; run <= runs; run++) {
        for (String variant : variants) {
          List<String> order = new ArrayList<>(handlers.keySet());
          if (Math.floorMod(run, 2) == 0) {
            order = order.reversed();
          }
          for (String name : order) {
            Map<String, String> env = new LinkedHashMap<>(functionEnv);
            if (variant.equals("c1")) {
              env.put("JAVA_TOOL_OPTIONS", c1Options);
            }
            Path event = work.resolve("event-" + eventNumber + ".json");
            Files.write(event, signedEvent(stack, route, events, eventNumber++));
            Sample s = spawn(java, classpath, handlers.get(name), event, env, variant, name, run);
            if (run >= 1) {
              samples.add(s);
            }
            System.out.printf(Locale.ROOT, "%-8s %-7s %4s %9.1f %10.1f %9.1f %8.1f %9.1f %9.1f %10.1f %7d%n",
                variant, name, run >= 1 ? Integer.toString(run) : "(d)", s.wallMs(), s.uptimeMs(), s.mainAtMs(),
                s.initMs(), s.invokeMs(), s.deserMs(), s.handleMs(), s.status());
          }
        }
      }

      System.out.printf(Locale.ROOT, "%nmedians over %d run(s)%n", runs);
      System.out.printf(Locale.ROOT, "%-8s %-7s %9s %10s %9s %8s %9s %9s %10s%n",
          "variant", "handler", "wall ms", "uptime ms", "main@ ms", "init ms", "invoke ms", "(deser", "handle)");
      for (String variant : variants) {
        for (String name : handlers.keySet()) {
          List<Sample> mine = samples.stream().filter(s -> s.variant().equals(variant) && s.handler().equals(name)).toList();
          allAccepted &= mine.stream().allMatch(s -> s.status() == 202);
          System.out.printf(Locale.ROOT, "%-8s %-7s %9.1f %10.1f %9.1f %8.1f %9.1f %9.1f %10.1f%n", variant, name,
              median(mine, Sample::wallMs), median(mine, Sample::uptimeMs), median(mine, Sample::mainAtMs),
              median(mine, Sample::initMs), median(mine, Sample::invokeMs), median(mine, Sample::deserMs),
              median(mine, Sample::handleMs));
        }
      }
      System.out.println("""

          wall ms    parent: ProcessBuilder.start() -> the probe's output line read (fork/exec + JVM boot + init + invoke + pipe)
          uptime ms  probe: JVM start time (RuntimeMXBean) -> first response ready
          main@ ms   probe: JVM start time -> main() entered (JVM boot, before any handler code)
          init ms    probe: load the handler class + its public no-arg constructor (Lambda's Init phase)
          invoke ms  probe: deserialise the event (Lambda serializers) + handleRequest + serialise the answer
                     (deser = the deserialisation alone, handle = handleRequest alone)""");

      System.out.println();
      System.out.println("deployable jars (template.yaml CodeUri)");
      Map<String, Path> jars = new TreeMap<>();
      for (LocalFunction f : stack.functions()) {
        if (f.spec().codeJar() != null) {
          jars.put(f.logicalId(), f.spec().codeJar());
        }
      }
      for (Map.Entry<String, Path> e : jars.entrySet()) {
        printJar(e.getKey(), e.getValue(), repo);
      }
      printJar("(reference) local stack", repo.resolve("local/target/telebridge-local.jar"), repo);
    } finally {
      deleteTree(work);
    }
    if (!allAccepted) {
      System.err.println("coldstart: some probe answered other than 202");
      System.exit(1);
    }
    System.exit(0);
  }

  private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    return Stats.median(samples.stream().mapToDouble(f).toArray());
  }

  private static void printJar(String label, Path jar, Path repo) throws IOException {
    if (!Files.isRegularFile(jar)) {
      System.out.printf(Locale.ROOT, "  %-26s %s (missing)%n", label, repo.relativize(jar));
      return;
    }
    int entries;
    try (JarFile j = new JarFile(jar.toFile())) {
      entries = j.size();
    }
    long bytes = Files.size(jar);
    System.out.printf(Locale.ROOT, "  %-26s %-45s %,12d bytes (%.1f MiB, %,d entries)%n", label, repo.relativize(jar),
        bytes, bytes / 1048576.0, entries);
  }

  /** The API Gateway v2 event the local API would build for a freshly signed copy of the sample. */
  static byte[] signedEvent(LocalStack stack, ApiRoute route, BenchEvents events, int n) {
    byte[] body = events.body(n);
    Instant now = Instant.now();
    long ts = now.getEpochSecond();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    headers.put("Content-Length", List.of(Integer.toString(body.length)));
    headers.put("Host", List.of(stack.apiBaseUrl().getAuthority()));
    headers.put("User-Agent", List.of("telebridge-bench"));
    headers.put(WebhookSignature.TIMESTAMP_HEADER, List.of(Long.toString(ts)));
    headers.put(WebhookSignature.SIGNATURE_HEADER, List.of(WebhookSignature.sign(stack.devSigningSecret(), ts, body)));
    ApiRequest request = new ApiRequest("POST", route.path(), null, headers, body, "127.0.0.1", "HTTP/1.1",
        stack.apiBaseUrl().getPort());
    return ApiGatewayEvents.httpApiV2Event(request, route, Map.of(), ApiGatewayEvents.newRequestId(), now);
  }

  static Sample spawn(Path java, String classpath, String handler, Path event, Map<String, String> env,
      String variant, String name, int run) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", classpath, ColdStartProbe.class.getName(),
        handler, event.toString());
    pb.environment().clear();
    pb.environment().putAll(env);
    String path = System.getenv("PATH");
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Thread drain = Thread.ofPlatform().daemon().start(() -> copy(p.getErrorStream(), stderr));
    String probeLine = null;
    long t1 = 0;
    StringBuilder otherOut = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (probeLine == null && line.startsWith("PROBE ")) {
          t1 = System.nanoTime();
          probeLine = line;
        } else {
          otherOut.append(line).append('\n');
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    drain.join(5_000);
    if (probeLine == null) {
      throw new IllegalStateException("probe (" + variant + ", " + name + ") gave no PROBE line; exit "
          + p.exitValue() + "\nstdout:\n" + otherOut + "stderr:\n" + stderr.toString(StandardCharsets.UTF_8));
    }
    Map<String, Long> v = new TreeMap<>();
    for (String kv : probeLine.substring("PROBE ".length()).split(" ")) {
      String[] parts = kv.split("=", 2);
      v.put(parts[0], Long.parseLong(parts[1]));
    }
    int status = v.get("status").intValue();
    if (status != 202) {
      System.err.println("probe (" + variant + ", " + name + ") answered " + status + "; stderr:\n"
          + stderr.toString(StandardCharsets.UTF_8));
    }
    long jvmStart = v.get("jvmStart");
    return new Sample(variant, name, run, (t1 - t0) / 1e6, v.get("respondedAt") - jvmStart,
        v.get("mainAt") - jvmStart, v.get("initNanos") / 1e6, v.get("readNanos") / 1e6,
        v.get("invokeNanos") / 1e6, v.get("deserNanos") / 1e6, v.get("handleNanos") / 1e6, status);
  }

  private static void copy(InputStream in, OutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process went away
    }
  }

  /**
   * A small jar with the probe, the bare handler and aws-lambda-java-serialization (copied from
   * wherever this code runs: the shaded local jar, or the classes directory and the library jar),
   * so the probe's classpath is the function jar plus what the Lambda runtime brings.
   */
  static Path buildProbeJar(Path target) throws IOException {
    Predicate<String> probeClasses = n -> n.startsWith("io/telebridge/local/bench/ColdStartProbe")
        || n.startsWith("io/telebridge/local/bench/BareHandler");
    Predicate<String> serialization = n -> n.startsWith("com/amazonaws/services/lambda/runtime/serialization/")
        || n.startsWith("com/amazonaws/lambda/thirdparty/");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target))) {
      java.util.Set<String> written = new java.util.HashSet<>();
      copyEntries(codeSource(ColdStartProbe.class), probeClasses, jar, written);
      copyEntries(codeSource(JacksonFactory.class), serialization, jar, written);
      if (written.stream().noneMatch(n -> n.endsWith("JacksonFactory.class"))
          || written.stream().noneMatch(n -> n.endsWith("ColdStartProbe.class"))) {
        throw new IllegalStateException("probe jar incomplete: " + written.size() + " entries");
      }
    }
    return target;
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyEntries(Path source, Predicate<String> wanted, JarOutputStream out, java.util.Set<String> written)
      throws IOException {
    if (Files.isDirectory(source)) {
      try (var files = Files.walk(source)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = source.relativize(f).toString().replace(File.separatorChar, '/');
          if (wanted.test(name) && !written.contains(name)) {
            out.putNextEntry(new JarEntry(name));
            Files.copy(f, out);
            out.closeEntry();
            written.add(name);
          }
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(source.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (!entry.isDirectory() && wanted.test(name) && !written.contains(name)) {
          out.putNextEntry(new JarEntry(name));
          try (InputStream in = jar.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
          written.add(name);
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // temp files: best effort
    }
  }
}
