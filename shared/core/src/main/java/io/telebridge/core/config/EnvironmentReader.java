package io.telebridge.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a component's environment once, at start, and collects every problem so that a
 * misconfigured function or service fails its init with one message naming all of them.
 */
public final class EnvironmentReader {

  private final String component;
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  public EnvironmentReader(String component, Map<String, String> env) {
    this.component = component;
    this.env = env;
  }

  /** A required value (trimmed); recorded as missing when unset or blank. */
  public String required(String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      problems.add("missing " + name);
      return null;
    }
    return v.trim();
  }

  public String optional(String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  public int integer(String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      problems.add(name + " must be an integer");
      return fallback;
    }
  }

  /** Throws when anything was missing or malformed. */
  public void check() {
    if (!problems.isEmpty()) {
      throw new IllegalStateException(component + " misconfigured: " + String.join("; ", problems));
    }
  }
}
