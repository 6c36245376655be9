package io.telebridge.mllp.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the bridge's environment variables, collecting every problem instead of stopping at the first
 * ({@link BridgeConfig#fromEnvironment} reports them all at once). Values holding secrets are never quoted
 * in a problem.
 */
final class EnvReader {
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  /** PKCS12 stores and their passwords, from the separate variables or one JSON secret. */
  record Stores(byte[] keystore, char[] keystorePassword, String keystoreSource, byte[] truststore,
      char[] truststorePassword, String truststoreSource) {}

  /** Notes a problem found beside the reads (a rule across variables). */
  void problem(String text) {
    problems.add(text);
  }

  /** Every problem so far, in the order found. */
  List<String> problems() {
    return problems;
  }

  String required(String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      problems.add(name + " is required");
      return null;
    }
    return v.trim();
  }

  int integer(String name, int fallback, int min, int max) {
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

  boolean bool(String name, boolean fallback) {
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

  /**
   * The stores of {@code PREFIX} (EHR, MLLP): from {@code PREFIX_TLS_MATERIAL} (a whole Secrets Manager
   * secret, JSON; every field optional) or from {@code PREFIX_KEYSTORE[_BASE64]}, {@code
   * PREFIX_KEYSTORE_PASSWORD}, {@code PREFIX_TRUSTSTORE[_BASE64]}, {@code PREFIX_TRUSTSTORE_PASSWORD}.
   */
  Stores stores(String prefix) {
    String name = prefix + "_TLS_MATERIAL";
    String json = env.get(name);
    if (json == null || json.isBlank()) {
      return new Stores(store(prefix + "_KEYSTORE"), secret(prefix + "_KEYSTORE_PASSWORD"), source(prefix + "_KEYSTORE"),
          store(prefix + "_TRUSTSTORE"), secret(prefix + "_TRUSTSTORE_PASSWORD"), source(prefix + "_TRUSTSTORE"));
    }
    for (String separate : List.of("_KEYSTORE", "_KEYSTORE_BASE64", "_TRUSTSTORE", "_TRUSTSTORE_BASE64")) {
      String v = env.get(prefix + separate);
      if (v != null && !v.isBlank()) {
        problems.add("set " + name + " or " + prefix + separate + ", not both");
      }
    }
    tools.jackson.databind.JsonNode root;
    try {
      root = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
    } catch (tools.jackson.core.JacksonException e) {
      problems.add(name + " is not JSON"); // never the value: it holds keys and passwords
      return new Stores(null, null, null, null, null, null);
    }
    if (root == null || !root.isObject()) {
      problems.add(name + " is not a JSON object");
      return new Stores(null, null, null, null, null, null);
    }
    byte[] keystore = materialStore(root, name, "keystore");
    byte[] truststore = materialStore(root, name, "truststore");
    return new Stores(keystore, materialText(root, name, "keystorePassword"), keystore == null ? null : name + ".keystore",
        truststore, materialText(root, name, "truststorePassword"), truststore == null ? null : name + ".truststore");
  }

  private char[] materialText(tools.jackson.databind.JsonNode root, String name, String field) {
    tools.jackson.databind.JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      problems.add(name + "." + field + " must be a string");
      return null;
    }
    return v.asString().isEmpty() ? null : v.asString().toCharArray();
  }

  private byte[] materialStore(tools.jackson.databind.JsonNode root, String name, String field) {
    char[] text = materialText(root, name, field);
    if (text == null || new String(text).isBlank()) {
      return null;
    }
    try {
      return Base64.getMimeDecoder().decode(new String(text).trim());
    } catch (IllegalArgumentException e) {
      problems.add(name + "." + field + " is not base64 (a PKCS12 store, base64-encoded)");
      return null;
    }
  }

  /** A PKCS12 store from {@code NAME} (a file) or {@code NAME_BASE64} (inline); not both. */
  byte[] store(String name) {
    String file = env.get(name);
    String inline = env.get(name + "_BASE64");
    boolean hasFile = file != null && !file.isBlank();
    boolean hasInline = inline != null && !inline.isBlank();
    if (hasFile && hasInline) {
      problems.add("set " + name + " or " + name + "_BASE64, not both");
      return null;
    }
    if (hasInline) {
      try {
        return Base64.getMimeDecoder().decode(inline.trim());
      } catch (IllegalArgumentException e) {
        problems.add(name + "_BASE64 is not base64");
        return null;
      }
    }
    if (!hasFile) {
      return null;
    }
    Path p = Path.of(file.trim());
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      problems.add(name + " is not a readable file: " + p);
      return null;
    }
  }

  String source(String name) {
    String file = env.get(name);
    if (file != null && !file.isBlank()) {
      return file.trim();
    }
    String inline = env.get(name + "_BASE64");
    return inline != null && !inline.isBlank() ? name + "_BASE64" : null;
  }

  char[] secret(String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? null : v.toCharArray();
  }
}
