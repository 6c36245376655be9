package io.telebridge.tests;

import io.telebridge.local.LocalStackMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./tb local} as a separate JVM ({@link LocalStackMain} on this test's class path) on fixed
 * free ports and a data directory, so that a test can SIGKILL it as a crash would and start it again
 * on the same ports and data.
 */
final class StackProcess implements AutoCloseable {

  static final String UP = "telebridge local stack is up";

  /** Free ports for every listener of the stack, chosen once and reused by each start. */
  static Map<String, Integer> freePorts(boolean functions) throws IOException {
    List<String> names = new ArrayList<>(List.of("--api-port", "--sqs-port", "--moto-port", "--platform-port"));
    if (functions) {
      names.addAll(List.of("--ehr-port", "--ehr-control-port", "--bridge-health-port", "--mllp-port"));
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    List<ServerSocket> held = new ArrayList<>();
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

  private final Process process;
  private final Path output;

  private StackProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts the stack and waits for its banner (or fails with the end of its output). */
  static StackProcess start(Path dataDir, Map<String, Integer> ports, boolean functions, Path output)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LocalStackMain.class.getName(),
        "--root", Signed.REPO.toString(), "--data-dir", dataDir.toString(),
        "--no-fhir")); // the FHIR server (a 1 GB child process) and its doors' fixed port are not what this tests
    ports.forEach((name, port) -> command.addAll(List.of(name, Integer.toString(port))));
    if (!functions) {
      command.add("--no-functions");
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    StackProcess stack = new StackProcess(p, output);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    long from = Files.size(output);
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

  String output(long from) throws IOException {
    byte[] all = Files.readAllBytes(output);
    return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(output);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The moto child process, found among this JVM's descendants by its command line. */
  Optional<ProcessHandle> moto() {
    return process.descendants()
        .filter(h -> h.info().commandLine().orElse("").contains("moto"))
        .findFirst();
  }

  /** SIGKILL, as a crash, an OOM kill or a closed laptop would end it: no shutdown hook runs. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  static URI local(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A clean stop (SIGTERM: the shutdown hook closes the stack). */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(Duration.ofMinutes(2).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
