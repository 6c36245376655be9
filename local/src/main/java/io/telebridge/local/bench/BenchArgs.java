package io.telebridge.local.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way the benchmark mains parse their options ({@code --name value} / {@code --flag}), report
 * a bad one (exit 2), and start an in-process local stack with its request log quiet.
 */
final class BenchArgs {

  /** A benchmark's body: parses its options, runs, and may exit with its own status. */
  @FunctionalInterface
  interface Main {
    void run(String[] argv) throws Exception;
  }

  /**
   * Runs a benchmark main: a bad option (IllegalArgumentException) prints its message and exits 2; a
   * failed precondition (IllegalStateException) prints {@code <bench>: message} and exits 1.
   */
  static void main(String name, String[] argv, Main main) throws Exception {
    try {
      main.run(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (IllegalStateException e) {
      System.out.flush();
      System.err.println(name + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private final List<String> args;

  BenchArgs(String[] args) {
    this.args = new ArrayList<>(List.of(args));
  }

  boolean flag(String name) {
    return args.remove(name);
  }

  String option(String name, String fallback) {
    return io.telebridge.local.Cli.option(args, name, fallback);
  }

  int intOption(String name, int fallback) {
    String v = option(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer");
    }
  }

  double doubleOption(String name, double fallback) {
    String v = option(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number");
    }
  }

  /** Fails on anything not consumed. */
  void done(String usage) {
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("unexpected " + args + "\n" + usage);
    }
  }

  /** The repository: {@code -Dtelebridge.root} (set by ./tb), else found upwards from the working directory. */
  static java.nio.file.Path repoRoot() {
    String prop = System.getProperty("telebridge.root");
    if (prop != null && !prop.isBlank()) {
      return java.nio.file.Path.of(prop).toAbsolutePath().normalize();
    }
    return io.telebridge.local.RepoRoot.find(java.nio.file.Path.of(""))
        .orElseThrow(() -> new IllegalStateException("no template.yaml here or above; run from the repository"));
  }

  static String env(String name, String fallback) {
    return io.telebridge.local.DevEnvironment.get(name, fallback);
  }

  /** The local stack of the end-to-end benches: the template's functions, the MLLP bridge and the EHR simulator (no console). */
  static io.telebridge.local.LocalStackOptions bridgeStack() {
    return io.telebridge.local.LocalStackOptions.forTests(repoRoot().resolve(io.telebridge.local.RepoRoot.TEMPLATE))
        .runBridge(true).ehrConsole(null);
  }

  /** Starts an in-process local stack for a bench, its one-line-per-request log quiet (the output is the figures). */
  static io.telebridge.local.LocalStack start(io.telebridge.local.LocalStackOptions options) throws java.io.IOException {
    io.telebridge.local.LocalStack stack = io.telebridge.local.LocalStack.start(options);
    quietRequestLog();
    return stack;
  }

  /** The in-process stack logs one INFO line per request; keep the output to the figures. */
  static void quietRequestLog() {
    try {
      if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.telebridge.local.http"))
            .setLevel(ch.qos.logback.classic.Level.WARN);
      }
    } catch (LinkageError e) {
      // not logback: leave it
    }
  }
}
