package io.telebridge.local.bench;

import io.telebridge.local.LocalStack;
import io.telebridge.local.bench.ColdStartSpawn.Sample;
import io.telebridge.local.lambda.LocalFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;

/** The tables after the runs: medians per function, variant and handler; the goals; the jars. */
final class ColdStartReport {
  private ColdStartReport() {}

  static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    return Stats.median(samples.stream().mapToDouble(f).toArray());
  }

  static void summary(Map<String, List<Sample>> byFunction, List<String> variants, int runs) {
    System.out.printf(Locale.ROOT, "%nmedians over %d run(s)%n", runs);
    System.out.printf(Locale.ROOT, "%-26s %-8s %-11s %9s %10s %8s %8s %9s %9s %10s%n", "function", "variant", "handler",
        "wall ms", "uptime ms", "init ms", "prime ms", "invoke ms", "(deser", "handle)");
    Map<String, double[]> goals = new TreeMap<>();
    for (Map.Entry<String, List<Sample>> e : byFunction.entrySet()) {
      Map<String, Double> wall = new LinkedHashMap<>();
      for (String variant : variants) {
        for (String name : e.getValue().stream().map(Sample::handler).distinct().toList()) {
          List<Sample> mine = e.getValue().stream()
              .filter(s -> s.variant().equals(variant) && s.handler().equals(name)).toList();
          if (mine.isEmpty()) {
            continue;
          }
          System.out.printf(Locale.ROOT, "%-26s %-8s %-11s %9.1f %10.1f %8.1f %8.1f %9.1f %9.1f %10.1f%n", e.getKey(),
              variant, name, median(mine, Sample::wallMs), median(mine, Sample::uptimeMs), median(mine, Sample::initMs),
              median(mine, Sample::primeMs), median(mine, Sample::invokeMs), median(mine, Sample::deserMs),
              median(mine, Sample::handleMs));
          wall.put(variant + "/" + (name.startsWith("bare") ? name : "fn"), median(mine, Sample::wallMs));
          if (variant.equals("primed") && !name.startsWith("bare")) {
            goals.computeIfAbsent(e.getKey(), k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN})[0] =
                median(mine, Sample::invokeMs);
            goals.get(e.getKey())[1] = median(mine, Sample::handleMs);
          }
        }
      }
      // without SnapStart: the default variant's walls, else c1's (the template's JVM options)
      String cold = wall.containsKey("default/fn") ? "default" : "c1";
      double[] g = goals.computeIfAbsent(e.getKey(), k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
      if (wall.containsKey(cold + "/fn") && wall.containsKey(cold + "/bare")) {
        g[2] = wall.get(cold + "/fn") - wall.get(cold + "/bare");
      }
      if (wall.containsKey(cold + "/fn") && wall.containsKey(cold + "/bare-stream")) {
        g[3] = wall.get(cold + "/fn") - wall.get(cold + "/bare-stream");
      }
    }
    System.out.println("""

        wall ms    parent: ProcessBuilder.start() -> the probe's output line read (fork/exec + JVM boot + init + invoke + pipe)
        uptime ms  probe: JVM start time (RuntimeMXBean) -> first response ready
        init ms    probe: load the handler class + its public no-arg constructor (Lambda's Init phase)
        prime ms   probe (primed): Priming.checkpointRestore() - what SnapStart runs before the snapshot and at restore
        invoke ms  probe: the event handed over + handleRequest + the answer taken back; a POJO handler (bare):
                   deser = the runtime's serializers deserialising the event; a stream handler (every function,
                   bare-stream): deser = handing over the bytes, the handler's own reading and writing in handle
        bare       a POJO handler that answers a constant; bare-stream: the same as a stream handler""");
    System.out.printf(Locale.ROOT, "%ngoals: first invoke after priming <= 50 ms; without SnapStart, cold start over bare <= 500 ms%n");
    System.out.printf(Locale.ROOT, "%-26s %16s %16s %22s %22s%n", "function", "primed invoke", "primed handle",
        "cold: fn - bare wall", "fn - bare-stream wall");
    goals.forEach((f, g) -> System.out.printf(Locale.ROOT, "%-26s %13.1f ms %13.1f ms %19.1f ms %19.1f ms%n", f, g[0],
        g[1], g[2], g[3]));
  }

  static void jars(LocalStack stack, Path repo) throws IOException {
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
    System.out.printf(Locale.ROOT, "  %-26s %-56s %,12d bytes (%.1f MiB, %,d entries)%n", label, repo.relativize(jar),
        bytes, bytes / 1048576.0, entries);
  }
}
