package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
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
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The cold start bench's process side: spawns one {@link ColdStartProbe} JVM and reads its figures
 * back ({@link Sample}), and builds the probe's jar (the probe, the bare handlers and the Lambda
 * runtime's serializers) so that its classpath is the function jar plus what the runtime brings.
 */
final class ColdStartSpawn {

  private ColdStartSpawn() {}

  /** One probe's figures (ms) and its answer: {@code result} as printed, {@code ok} as the fixture judged it. */
  record Sample(String variant, String handler, int run, double wallMs, double uptimeMs, double mainAtMs,
      double initMs, double primeMs, double readMs, double invokeMs, double deserMs, double handleMs, int status,
      int failures, int records, String result, boolean ok) {

    Sample checked(String newResult, boolean newOk) {
      return new Sample(variant, handler, run, wallMs, uptimeMs, mainAtMs, initMs, primeMs, readMs, invokeMs, deserMs,
          handleMs, status, failures, records, newResult, newOk);
    }
  }

  /**
   * Spawns the probe for one handler and event ({@code kind} api, sqs or stream; {@code primed}: the
   * probe runs the handler's priming between init and the invoke) with exactly {@code env} plus PATH.
   */
  static Sample spawn(Path java, String classpath, String handler, Path event, String kind, boolean primed,
      Map<String, String> env, String variant, String name, int run) throws IOException, InterruptedException {
    ProcessBuilder pb = primed
        ? new ProcessBuilder(java.toString(), "-cp", classpath, ColdStartProbe.class.getName(), handler,
            event.toString(), kind, "primed")
        : new ProcessBuilder(java.toString(), "-cp", classpath, ColdStartProbe.class.getName(), handler,
            event.toString(), kind);
    pb.environment().clear();
    pb.environment().putAll(env);
    String path = io.telebridge.local.DevEnvironment.get("PATH", null);
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
      String err = stderr.toString(StandardCharsets.UTF_8);
      throw new IllegalStateException("probe (" + variant + ", " + name + ") gave no PROBE line; exit "
          + p.exitValue() + "\nstdout:\n" + otherOut + "stderr:\n" + err);
    }
    Map<String, Long> v = new TreeMap<>();
    for (String kv : probeLine.substring("PROBE ".length()).split(" ")) {
      String[] parts = kv.split("=", 2);
      v.put(parts[0], Long.parseLong(parts[1]));
    }
    int status = v.get("status").intValue();
    int failures = v.getOrDefault("failures", 0L).intValue();
    int records = v.getOrDefault("records", 1L).intValue();
    boolean sqs = kind.equals("sqs");
    long jvmStart = v.get("jvmStart");
    Sample s = new Sample(variant, name, run, (t1 - t0) / 1e6, v.get("respondedAt") - jvmStart,
        v.get("mainAt") - jvmStart, v.get("initNanos") / 1e6, v.getOrDefault("primeNanos", 0L) / 1e6,
        v.get("readNanos") / 1e6, v.get("invokeNanos") / 1e6, v.get("deserNanos") / 1e6, v.get("handleNanos") / 1e6,
        status, failures, records, sqs ? Integer.toString(failures) : Integer.toString(status), true);
    lastStderr = stderr.toString(StandardCharsets.UTF_8);
    if (primed) {
      // what the priming did (Priming logs its summary and each failed step by name: no PHI)
      lastStderr.lines().filter(l -> l.contains("priming ")).map(l -> "  [" + name + " run " + run + "] " + l.strip())
          .forEach(System.out::println);
    }
    return s;
  }

  /** The last probe's stderr (printed when its answer was not the expected one). */
  static String lastStderr = "";

  private static void copy(InputStream in, OutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process went away
    }
  }

  /**
   * A small jar with the probe, the bare handlers, aws-lambda-java-serialization and the bare POJO
   * handlers' event classes and joda-time (copied from
   * wherever this code runs: the shaded local jar, or the classes directory and the library jar),
   * so the probe's classpath is the function jar plus what the Lambda runtime brings.
   */
  static Path buildProbeJar(Path target) throws IOException {
    Predicate<String> probeClasses = n -> n.startsWith("io/telebridge/local/bench/ColdStartProbe")
        || n.startsWith("io/telebridge/local/bench/BareHandler")
        || n.startsWith("io/telebridge/local/bench/BareSqsHandler")
        || n.startsWith("io/telebridge/local/bench/BareStreamHandler")
        || n.startsWith("io/telebridge/local/bench/BareApiStreamHandler")
        || n.startsWith("io/telebridge/local/bench/BareSqsStreamHandler");
    Predicate<String> serialization = n -> n.startsWith("com/amazonaws/services/lambda/runtime/serialization/")
        || n.startsWith("com/amazonaws/lambda/thirdparty/");
    // the bare POJO baselines' event classes, and joda-time for the runtime's SQSEvent serializer: the
    // function jars no longer carry them (every function reads its own bytes)
    Predicate<String> events = n -> n.startsWith("com/amazonaws/services/lambda/runtime/events/APIGatewayV2HTTP")
        || n.startsWith("com/amazonaws/services/lambda/runtime/events/SQSEvent")
        || n.startsWith("com/amazonaws/services/lambda/runtime/events/SQSBatchResponse");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target))) {
      java.util.Set<String> written = new java.util.HashSet<>();
      copyEntries(codeSource(ColdStartProbe.class), probeClasses, jar, written);
      copyEntries(codeSource(JacksonFactory.class), serialization, jar, written);
      copyEntries(codeSource(com.amazonaws.services.lambda.runtime.events.SQSEvent.class), events, jar, written);
      copyEntries(codeSource(org.joda.time.DateTime.class), n -> n.startsWith("org/joda/time/"), jar, written);
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

  static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // temp files: best effort
    }
  }
}
