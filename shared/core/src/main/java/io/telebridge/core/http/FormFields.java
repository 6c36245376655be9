package io.telebridge.core.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a query string or an {@code application/x-www-form-urlencoded} body, decoded as UTF-8 (a
 * {@code +} is a space): the one parser of the console's forms, the simulators' control queries and the local
 * token endpoint's form.
 */
public final class FormFields {

  private FormFields() {}

  /**
   * Every field in order, each name with its values in order. A pair without {@code =} is a name with an
   * empty value; empty pairs are skipped. Null or empty: no fields.
   */
  public static Map<String, List<String>> parse(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /** One value per name, the last given (a later field overrides an earlier one), in the order first seen. */
  public static Map<String, String> last(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    parse(raw).forEach((name, values) -> out.put(name, values.getLast()));
    return out;
  }
}
