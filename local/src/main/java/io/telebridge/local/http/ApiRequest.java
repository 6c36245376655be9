package io.telebridge.local.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as it reached the local API, before it becomes an API Gateway event.
 *
 * @param headers header names as received, each with its values in order
 * @param rawQuery the raw (still encoded) query string, or {@code null}
 */
public record ApiRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body,
    String sourceIp,
    String protocol,
    int localPort) {

  /** First value of a header, case-insensitive; {@code null} when absent. */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /** Decoded query parameters, each with its values in order. */
  public Map<String, List<String>> queryParameters() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /** The cookies of every Cookie header, one entry per cookie, as HTTP API payload 2.0 has them. */
  public List<String> cookies() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals("cookie")) {
        for (String header : e.getValue()) {
          for (String cookie : header.split(";")) {
            if (!cookie.isBlank()) {
              out.add(cookie.trim());
            }
          }
        }
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
