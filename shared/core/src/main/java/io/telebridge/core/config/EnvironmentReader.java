package io.telebridge.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /** An integer from {@code min} to {@code max}; outside that range a problem, and the fallback. */
  public int integer(String name, int fallback, int min, int max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v.trim());
      if (i < min || i > max) {
        problems.add(name + " must be between " + min + " and " + max);
        return fallback;
      }
      return i;
    } catch (NumberFormatException e) {
      problems.add(name + " must be an integer");
      return fallback;
    }
  }

  /** true / 1 / yes / on, false / 0 / no / off (any case); anything else a problem, and the fallback. */
  public boolean bool(String name, boolean fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> {
        problems.add(name + " must be true or false");
        yield fallback;
      }
    };
  }

  /** Records a problem found beside the reads (a rule across variables, a value that did not parse). */
  public void problem(String text) {
    problems.add(text);
  }

  /** Throws when anything was missing or malformed. */
  public void check() {
    if (!problems.isEmpty()) {
      throw new IllegalStateException(component + " misconfigured: " + String.join("; ", problems));
    }
  }
}
