package io.telebridge.local.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local FHIR server as a child process: {@code java -jar local/fhir-server/target/telebridge-local-fhir.jar}
 * (HAPI FHIR JPA, H2 in {@code <data>/fhir/}, the sample charts seeded when absent), so the JPA server's
 * classes stay out of this JVM and out of the local stack's jar. Its output goes to {@code
 * <data>/fhir/fhir-server.log}; it prints one "ready" line with its base URL. It dies with this JVM, even
 * after SIGKILL: it exits when its stdin, a pipe from this JVM, closes. {@link #spawn} returns at once (the
 * server takes ≈ 20-60 s to start); {@link #awaitReady} waits.
 */
public final class FhirServerProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FhirServerProcess.class);
  static final String TARGET = "local/fhir-server/target";
  static final String READY = "telebridge-local-fhir ready ";

  private final Process process;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private final long spawnedAt = System.nanoTime();
  private volatile double readySeconds = Double.NaN;
  private volatile String readyLine;

  private FhirServerProcess(Process process) {
    this.process = process;
  }

  /** The jar under the repository root (built by {@code ./tb local}, or {@code mvn -pl local/fhir-server package}). */
  public static Path jar(Path root) {
    Path target = root.resolve(TARGET);
    try (var files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("telebridge-local-fhir-.*-runnable\\.jar"))
          .findFirst().orElse(target.resolve("telebridge-local-fhir-<version>-runnable.jar"));
    } catch (IOException e) {
      return target.resolve("telebridge-local-fhir-<version>-runnable.jar");
    }
  }

  /**
   * @param port the server's own port (0: a free one; the doors are what clients use)
   * @param dataDir {@code <data>/fhir}: the H2 database and the log
   */
  public static FhirServerProcess spawn(Path root, String host, int port, Path dataDir) throws IOException {
    Path jar = jar(root);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the local FHIR server is not built (" + jar + "): mvn -pl local/fhir-server "
          + "package -DskipTests (./tb local does it), or start with --no-fhir");
    }
    Files.createDirectories(dataDir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", jar.toString(), "--host", host, "--port", Integer.toString(port), "--data-dir", dataDir.toString());
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE); // held by this JVM: EOF when it is gone
    Process p = pb.start();
    FhirServerProcess server = new FhirServerProcess(p);
    Path log = dataDir.resolve("fhir-server.log");
    Thread pump = new Thread(() -> server.pump(log), "fhir-server-output");
    pump.setDaemon(true);
    pump.start();
    p.onExit().thenRun(() -> server.ready.completeExceptionally(new IllegalStateException(
        "the FHIR server exited with " + p.exitValue() + " (see " + log + ")")));
    return server;
  }

  private void pump(Path log) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
      for (String line; (line = in.readLine()) != null; ) {
        out.println(line);
        out.flush();
        if (line.startsWith(READY) && !ready.isDone()) {
          readySeconds = (System.nanoTime() - spawnedAt) / 1e9;
          readyLine = line;
          String rest = line.substring(READY.length());
          int space = rest.indexOf(' ');
          ready.complete(space < 0 ? rest : rest.substring(0, space));
        }
      }
    } catch (IOException e) {
      LOG.debug("FHIR server output: {}", e.toString());
    }
  }

  /** The server's base URL ({@code http://…/fhir}) once it has started and seeded. */
  public String awaitReady(Duration timeout) throws IOException {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the FHIR server did not start within " + timeout.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the FHIR server", e);
    }
  }

  /** Seconds from spawn to ready (NaN before). */
  public double readySeconds() {
    return readySeconds;
  }

  /** The server's own ready line (base URL, start time, what was seeded), or null. */
  public String readyLine() {
    return readyLine;
  }

  /** "stop" on its stdin, then EOF; SIGTERM, SIGKILL if it lingers. */
  @Override
  public void close() {
    try (var stdin = process.getOutputStream()) {
      stdin.write("stop\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
