package io.telebridge.local.bench;

import io.telebridge.local.LocalStackMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tb local} as a child JVM ({@link LocalStackMain} on this JVM's class path) on fixed free
 * ports and a data directory, so that the fault suite can SIGKILL it as a crash would and start it
 * again on the same ports and data (LocalStackCrashIT's StackProcess is a thin wrapper of it).
 */
public final class StackChild implements AutoCloseable {

  static final String UP = "telebridge local stack is up";
  static final List<String> PORTS = List.of("--api-port", "--sqs-port", "--moto-port", "--platform-port");
  static final List<String> FUNCTION_PORTS = List.of("--ehr-port", "--ehr-control-port", "--bridge-health-port",
      "--mllp-port");

  private final Process process;
  private final Path output;

  private StackChild(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /**
   * A free loopback port for each of the stack's listeners (with {@code functions}: the EHR
   * simulator's, the bridge's and the MLLP listener's too), chosen once and reused by every start.
   */
  public static Map<String, Integer> freePorts(boolean functions) throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    List<ServerSocket> held = new ArrayList<>();
    List<String> names = new ArrayList<>(PORTS);
    if (functions) {
      names.addAll(FUNCTION_PORTS);
    }
    try {
      for (String name : names) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        held.add(s);
        ports.put(name, s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return ports;
  }

  /**
   * Starts the stack and waits for its banner (or fails with the end of its output). With
   * {@code functions} false: {@code --no-functions} (emulators only).
   */
  public static StackChild start(Path repo, Path dataDir, Map<String, Integer> ports, boolean functions, Path output,
      List<String> extraArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LocalStackMain.class.getName(),
        "--root", repo.toString(), "--data-dir", dataDir.toString()));
    ports.forEach((name, port) -> command.addAll(List.of(name, Integer.toString(port))));
    if (!functions) {
      command.add("--no-functions");
    }
    command.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    long from = Files.exists(output) ? Files.size(output) : 0;
    Process p = pb.start();
    StackChild stack = new StackChild(p, output);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (!stack.output(from).contains(UP)) {
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        p.destroyForcibly();
        throw new IllegalStateException("the local stack did not come up (exit " + (p.isAlive() ? "-" : p.exitValue())
            + "); its output:\n" + stack.tail());
      }
      Thread.sleep(200);
    }
    return stack;
  }

  private String output(long from) throws IOException {
    byte[] all = Files.readAllBytes(output);
    return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
  }

  /** The last 40 lines of the stack's output. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(output);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The moto child process, found among this JVM's descendants by its command line. */
  public java.util.Optional<ProcessHandle> moto() {
    return process.descendants()
        .filter(h -> h.info().commandLine().orElse("").contains("moto"))
        .findFirst();
  }

  /** SIGKILL, as a crash or an OOM kill would end it: no shutdown hook runs. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** A clean stop (SIGTERM: the shutdown hook closes the stack). */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
