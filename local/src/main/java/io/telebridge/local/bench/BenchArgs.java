package io.telebridge.local.bench;

import java.util.ArrayList;
import java.util.List;

/** Minimal {@code --name value} / {@code --flag} parsing for the benchmark mains. */
final class BenchArgs {

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
}
