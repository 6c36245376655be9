package io.telebridge.local.emulator;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * moto in server mode as a child process: the stand-in for DynamoDB, Secrets Manager,
 * EventBridge Scheduler and the other AWS APIs moto knows. State is in memory and is gone when
 * the process stops. The process (and any children) is killed on {@link #close()} and by a JVM
 * shutdown hook.
 */
public final class MotoServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
  public static final String INSTALL_HINT = "install it with: pip install \"moto[server]\"";

  private final String host;
  private final int port;
  private final Process process;
  private final Path logFile;
  private final Thread shutdownHook;

  private MotoServer(String host, int port, Process process, Path logFile) {
    this.host = host;
    this.port = port;
    this.process = process;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::kill, "moto-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Spawns {@code moto_server -H host -p port} ({@code port} 0 picks a free one). Returns at once;
   * call {@link #awaitReady(Duration)} before use.
   *
   * @param command the moto_server executable, or {@code null} to find it on PATH
   * @param logFile where moto's own output goes (request lines, no bodies)
   */
  public static MotoServer spawn(String command, String host, int port, Path logFile) throws IOException {
    String executable = command != null ? command : findOnPath("moto_server");
    if (executable == null) {
      throw new IllegalStateException("moto_server was not found on PATH; " + INSTALL_HINT);
    }
    int chosen = port == 0 ? Ports.free(host) : port;
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    String python = command == null ? serialPython() : null;
    ProcessBuilder pb = new ProcessBuilder(python != null
        ? List.of(python, "-c", SERIAL_SERVER, host, Integer.toString(chosen))
        : List.of(executable, "-H", host, "-p", Integer.toString(chosen)));
    pb.environment().put("MOTO_ACCOUNT_ID", "000000000000");
    pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    pb.environment().put("PYTHONUNBUFFERED", "1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + executable + "; " + INSTALL_HINT, e);
    }
    return new MotoServer(host, chosen, process, logFile);
  }

  /**
   * moto_server's own app, served one request at a time. moto's threaded server checks a condition
   * and writes without a lock, so two concurrent conditional writes (PutItem with a condition,
   * TransactWriteItems) can both succeed there, which DynamoDB never allows; served serially, each
   * request is atomic as DynamoDB's are. (moto is CPU-bound under the GIL: little throughput lost.)
   */
  static final String SERIAL_SERVER = String.join("\n",
      "import signal, sys",
      "from werkzeug.serving import run_simple",
      "from moto.server import DomainDispatcherApplication, create_backend_app",
      "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))",
      "run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)");

  private static volatile java.util.Optional<String> serialPython;

  /** The python3 on PATH when it imports moto's server (checked once per JVM), else null. */
  static String serialPython() {
    java.util.Optional<String> known = serialPython;
    if (known == null) {
      known = java.util.Optional.ofNullable(findSerialPython());
      serialPython = known;
    }
    return known.orElse(null);
  }

  private static String findSerialPython() {
    String python = findOnPath("python3");
    if (python == null) {
      return null;
    }
    try {
      Process check = new ProcessBuilder(python, "-c", "import moto.server, werkzeug.serving")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && check.exitValue() == 0 ? python : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Starts moto and waits until it answers. */
  public static MotoServer start(String command, String host, int port, Path logFile, Duration timeout)
      throws IOException {
    MotoServer moto = spawn(command, host, port, logFile);
    try {
      moto.awaitReady(timeout);
    } catch (RuntimeException e) {
      moto.close();
      throw e;
    }
    return moto;
  }

  /** Waits until moto answers HTTP, or fails with the tail of its log. */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long started = System.nanoTime();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
      HttpRequest ping = HttpRequest.newBuilder(endpoint().resolve("/moto-api/"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("moto_server exited with " + process.exitValue()
              + " before answering on port " + port + " (port in use?). Its log:\n" + logTail());
        }
        try {
          http.send(ping, HttpResponse.BodyHandlers.discarding());
          LOG.info("moto on {} in {} ms (pid {})", endpoint(), (System.nanoTime() - started) / 1_000_000, process.pid());
          return;
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for moto", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("moto_server did not answer on " + endpoint() + " within "
              + timeout.toSeconds() + " s. Its log:\n" + logTail());
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for moto", e);
        }
      }
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public URI endpoint() {
    return URI.create("http://" + Ports.uriHost(host) + ":" + port);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  static String findOnPath(String name) {
    String path = io.telebridge.local.DevEnvironment.get("PATH", null);
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private void kill() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or will run; nothing to do
    }
    LOG.info("moto stopped");
  }
}
