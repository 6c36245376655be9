package io.telebridge.mllp.bridge;

import io.telebridge.core.config.EnvironmentReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The PKCS12 stores of the bridge's TLS (the EHR side, the listener side) from its environment: one JSON
 * secret ({@code PREFIX_TLS_MATERIAL}) or separate variables (files or base64). Problems go to the
 * {@link EnvironmentReader} of {@link BridgeConfig#fromEnvironment}, which reports them all at once; a value
 * holding a key or password is never quoted in one.
 */
final class TlsStoresEnv {
  private final Map<String, String> env;
  private final EnvironmentReader problems;

  TlsStoresEnv(Map<String, String> env, EnvironmentReader problems) {
    this.env = env;
    this.problems = problems;
  }

  /** PKCS12 stores and their passwords, from the separate variables or one JSON secret. */
  record Stores(byte[] keystore, char[] keystorePassword, String keystoreSource, byte[] truststore,
      char[] truststorePassword, String truststoreSource) {}

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
        problems.problem("set " + name + " or " + prefix + separate + ", not both");
      }
    }
    tools.jackson.databind.JsonNode root;
    try {
      root = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
    } catch (tools.jackson.core.JacksonException e) {
      problems.problem(name + " is not JSON"); // never the value: it holds keys and passwords
      return new Stores(null, null, null, null, null, null);
    }
    if (root == null || !root.isObject()) {
      problems.problem(name + " is not a JSON object");
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
      problems.problem(name + "." + field + " must be a string");
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
      problems.problem(name + "." + field + " is not base64 (a PKCS12 store, base64-encoded)");
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
      problems.problem("set " + name + " or " + name + "_BASE64, not both");
      return null;
    }
    if (hasInline) {
      try {
        return Base64.getMimeDecoder().decode(inline.trim());
      } catch (IllegalArgumentException e) {
        problems.problem(name + "_BASE64 is not base64");
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
      problems.problem(name + " is not a readable file: " + p);
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
