package io.telebridge.local.emulator;

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
 * EventBridge Scheduler and the other AWS APIs moto knows.
 *
 * <p>Normally our own server ({@code moto_serial_server.py}, a resource beside this class): moto's
 * app served one request at a time, with the DynamoDB Query adaptation {@code moto_query_patch.py}
 * applied. With a state directory its state is durable: each acknowledged write is in a log on disk
 * before its response goes out, a snapshot is taken on {@link #close()}, and a start restores both
 * (see the script's header). Without python3 importing moto, or with an explicit command, the plain
 * {@code moto_server} runs instead: in memory only.
 *
 * <p>The child dies with this JVM, even on SIGKILL: it watches its stdin, a pipe from this JVM, and
 * exits on EOF ({@code moto_server} through a small {@code sh} wrapper that does the same). A start
 * with a state directory writes {@code server.pid} there and first ends the server a crashed run of
 * its own left behind (checked by its command line), so the port is free again.
 */
public final class MotoServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
  public static final String INSTALL_HINT = "install it with: pip install \"moto[server]\"";

  private final String host;
  private final int port;
  private final Process process;
  private final Path logFile;
  private final Path stateDir;
  private final Thread shutdownHook;

  private MotoServer(String host, int port, Process process, Path logFile, Path stateDir) {
    this.host = host;
    this.port = port;
    this.process = process;
    this.logFile = logFile;
    this.stateDir = stateDir;
    this.shutdownHook = new Thread(this::stop, "moto-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** As {@link #spawn(String, String, int, Path, Path)}, state in memory only. */
  public static MotoServer spawn(String command, String host, int port, Path logFile) throws IOException {
    return spawn(command, host, port, logFile, null);
  }

  /**
   * Spawns moto on {@code host:port} ({@code port} 0 picks a free one). Returns at once; call
   * {@link #awaitReady(Duration)} before use.
   *
   * @param command the moto_server executable, or {@code null} for our serial server (else
   *     moto_server found on PATH)
   * @param logFile where moto's own output goes (request lines, no bodies)
   * @param stateDir where the state is kept across restarts and crashes ({@code null}: in memory);
   *     only our serial server keeps it
   */
  public static MotoServer spawn(String command, String host, int port, Path logFile, Path stateDir) throws IOException {
    String python = command == null ? MotoLaunch.serialPython() : null;
    String executable = command != null ? command : python != null ? python : MotoLaunch.findOnPath("moto_server");
    if (executable == null) {
      throw new IllegalStateException("neither python3 importing moto nor moto_server was found on PATH; " + INSTALL_HINT);
    }
    int chosen = port == 0 ? Ports.free(host) : port;
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    Path state = stateDir == null ? null : Files.createDirectories(stateDir).toAbsolutePath().normalize();
    if (state != null) {
      MotoPidFile.reclaim(state);
    }
    ProcessBuilder pb = MotoLaunch.processFor(executable, python != null, host, chosen, state, logFile);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + executable + "; " + INSTALL_HINT, e);
    }
    if (state != null) {
      MotoPidFile.write(state, process.pid());
    }
    return new MotoServer(host, chosen, process, logFile, state);
  }

  /** Ends the server a crashed run left on this state directory, if any ({@link MotoPidFile#reclaim}). */
  public static void reclaim(Path stateDir) {
    MotoPidFile.reclaim(stateDir);
  }

  /** Starts moto and waits until it answers. */
  public static MotoServer start(String command, String host, int port, Path logFile, Duration timeout)
      throws IOException {
    return start(spawn(command, host, port, logFile), timeout);
  }

  /** Starts moto keeping its state in {@code stateDir} and waits until it answers (restored). */
  public static MotoServer start(String command, String host, int port, Path logFile, Path stateDir)
      throws IOException {
    return start(spawn(command, host, port, logFile, stateDir), Duration.ofSeconds(60));
  }

  private static MotoServer start(MotoServer moto, Duration timeout) {
    try {
      moto.awaitReady(timeout);
    } catch (RuntimeException e) {
      moto.close();
      throw e;
    }
    return moto;
  }

  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(10);

  /** Waits until moto answers HTTP, or fails with the tail of its log. */
  public void awaitReady(Duration timeout) {
    if (stateDir != null && timeout.compareTo(RESTORE_TIMEOUT) < 0) {
      timeout = RESTORE_TIMEOUT; // restoring large tables takes a while; a dead child still fails at once
    }
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

  /** How long a clean stop may take to write its snapshot (large tables take a while: docs/measurements.md §9). */
  private static final long STOP_WAIT_SECONDS = 300;

  /**
   * A clean stop: "stop" on the child's stdin (our server writes its snapshot and exits; the
   * moto_server wrapper ends moto on the EOF that follows), then, if it is still running, SIGTERM
   * and SIGKILL. The log already holds every acknowledged write, so a cut-short snapshot loses
   * nothing (the next start replays the log).
   */
  private synchronized void stop() {
    if (!process.isAlive()) {
      MotoPidFile.delete(stateDir);
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    try (var stdin = process.getOutputStream()) {
      stdin.write("stop\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (IOException e) {
      LOG.debug("moto's stdin already closed: {}", e.toString());
    }
    try {
      if (!process.waitFor(stateDir == null ? 5 : STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("moto did not stop within {} s: ending it (the next start replays its log)",
            stateDir == null ? 5 : STOP_WAIT_SECONDS);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
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
    MotoPidFile.delete(stateDir);
  }

  /**
   * SIGKILL, as a crash of moto alone would end it (fault injection: {@code ./tb bench faults}): no
   * snapshot; the next start on the same state directory replays the log.
   */
  public void kill() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down
    }
  }

  /** Where the state is kept, or null (in memory). */
  public Path stateDir() {
    return stateDir;
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or will run; nothing to do
    }
    LOG.info("moto stopped");
  }
}
