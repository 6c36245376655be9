package io.telebridge.tests;

import io.telebridge.local.bench.StackChild;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./tb local} as a separate JVM on fixed free ports and a data directory, so that a test can
 * SIGKILL it as a crash would and start it again on the same ports and data: the tests' face of
 * {@link StackChild} (which {@code ./tb bench faults} uses too).
 */
final class StackProcess implements AutoCloseable {

  /** Free ports for every listener of the stack, chosen once and reused by each start. */
  static Map<String, Integer> freePorts(boolean functions) throws IOException {
    return StackChild.freePorts(functions);
  }

  private final StackChild child;

  private StackProcess(StackChild child) {
    this.child = child;
  }

  /** Starts the stack and waits for its banner (or fails with the end of its output). */
  static StackProcess start(Path dataDir, Map<String, Integer> ports, boolean functions, Path output)
      throws IOException, InterruptedException {
    // --no-fhir: the FHIR server (a 1 GB child process) and its doors' fixed port are not what this tests
    return new StackProcess(StackChild.start(Signed.REPO, dataDir, ports, functions, output, List.of("--no-fhir")));
  }

  String tail() {
    return child.tail();
  }

  /** The moto child process, found among this JVM's descendants by its command line. */
  Optional<ProcessHandle> moto() {
    return child.moto();
  }

  /** SIGKILL, as a crash, an OOM kill or a closed laptop would end it: no shutdown hook runs. */
  void killHard() throws InterruptedException {
    child.killHard();
  }

  static URI local(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A clean stop (SIGTERM: the shutdown hook closes the stack). */
  @Override
  public void close() throws InterruptedException {
    child.close();
  }
}
