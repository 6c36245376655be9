package io.telebridge.local;

/**
 * The one place the local tools read their own {@code TELEBRIDGE_*} environment variables
 * (ports, API URL, development secret). The functions never read it: they get the
 * template-resolved environment through their {@code Map} constructor.
 */
public final class DevEnvironment {

  private DevEnvironment() {}

  /** The variable's value, or {@code fallback} when unset or blank. */
  public static String get(String name, String fallback) {
    String v = io.telebridge.core.config.ProcessEnvironment.read().get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** An integer variable, or {@code fallback}; a non-integer value is an error naming the variable. */
  public static int getInt(String name, int fallback) {
    String v = get(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer");
    }
  }
}
