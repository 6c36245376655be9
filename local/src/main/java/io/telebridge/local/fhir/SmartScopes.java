package io.telebridge.local.fhir;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What SMART system scopes allow, as the local EHR door checks them (v2 {@code cruds} letters and v1 read/write). */
final class SmartScopes {

  private SmartScopes() {}

  private static final Pattern TYPE = Pattern.compile("^/?([A-Z][A-Za-z]+)");
  private static final Pattern BUNDLE_URL = Pattern.compile("\"url\"\\s*:\\s*\"/?([A-Z][A-Za-z]+)");
  private static final Pattern BUNDLE_ENTRY = Pattern.compile(
      "\"method\"\\s*:\\s*\"([A-Z]+)\"\\s*,\\s*\"url\"\\s*:\\s*\"/?([A-Z][A-Za-z]+)");

  /** The resource types a request reads or writes: type → written (else read); a batch's entries each by its method. */
  static Map<String, Boolean> accessed(String method, String rest, byte[] body) {
    Map<String, Boolean> types = new LinkedHashMap<>(); // type -> written (else read)
    Matcher m = TYPE.matcher(rest);
    if (m.find()) {
      types.put(m.group(1), !"GET".equals(method) && !rest.contains("_search"));
    } else if ("POST".equals(method)) {
      // a batch or transaction at the base: every entry's request names its method and type
      String text = new String(body, StandardCharsets.UTF_8);
      Matcher e = BUNDLE_ENTRY.matcher(text);
      while (e.find()) {
        types.merge(e.group(2), !"GET".equals(e.group(1)), Boolean::logicalOr);
      }
      if (types.isEmpty()) {
        Matcher b = BUNDLE_URL.matcher(text);
        while (b.find()) {
          types.put(b.group(1), false);
        }
      }
    }
    return types;
  }

  /**
   * Whether the granted SMART system scopes allow reading (v2 {@code r}/{@code s}, v1 {@code read}) or writing
   * (v2 {@code c}/{@code u}, v1 {@code write}) a resource type, by its own scope or {@code system/*}.
   */
  static boolean allows(Set<String> granted, String type, boolean write) {
    for (String scope : granted) {
      for (String prefix : List.of("system/" + type + ".", "system/*.")) {
        if (!scope.startsWith(prefix)) {
          continue;
        }
        String access = scope.substring(prefix.length());
        if (access.equals(write ? "write" : "read")
            || access.matches("[cruds]+") && (write ? access.matches(".*[cu].*") : access.matches(".*[rs].*"))) {
          return true;
        }
      }
    }
    return false;
  }
}
