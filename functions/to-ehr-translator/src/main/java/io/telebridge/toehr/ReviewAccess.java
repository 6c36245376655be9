package io.telebridge.toehr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which tenants' review cases a caller may see and resolve, from its verified IAM identity (never from
 * the request). Configuration ({@code REVIEW_CALLER_TENANTS}), JSON: principal ARN → tenants,
 *
 * <pre>
 *   {"arn:aws:iam::123456789012:role/ops-north": ["north-clinic"],
 *    "arn:aws:iam::123456789012:user/ops-anna": ["demo-clinic", "north-clinic"],
 *    "arn:aws:iam::123456789012:role/ops-*": ["demo-clinic"]}
 * </pre>
 *
 * A key ending in {@code *} matches every ARN it prefixes. A caller that assumed a role
 * ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}) matches the role's ARN
 * ({@code arn:aws:iam::ACCOUNT:role/ROLE}) as well. A caller no key matches has no tenant: every
 * request of it is refused (403). No mapping at all: nobody has a tenant.
 */
public final class ReviewAccess {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ASSUMED_ROLE =
      Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([^/]+)/.*");

  private final Map<String, Set<String>> byPrincipal;

  private ReviewAccess(Map<String, Set<String>> byPrincipal) {
    this.byPrincipal = byPrincipal;
  }

  public static ReviewAccess of(Map<String, List<String>> mapping) {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    mapping.forEach((k, v) -> m.put(k, new LinkedHashSet<>(v)));
    return new ReviewAccess(m);
  }

  /** Parses {@code REVIEW_CALLER_TENANTS}; empty or null: nobody has a tenant. */
  public static ReviewAccess parse(String json) {
    if (json == null || json.isBlank()) {
      return new ReviewAccess(Map.of());
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalStateException("REVIEW_CALLER_TENANTS is not JSON {\"<principal ARN>\": [\"<tenant>\", ...]}");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalStateException("REVIEW_CALLER_TENANTS must be a JSON object of principal ARN -> tenants");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isArray()) {
        throw new IllegalStateException("REVIEW_CALLER_TENANTS: the tenants of " + e.getKey() + " must be an array");
      }
      List<String> tenants = new ArrayList<>();
      e.getValue().forEach(t -> tenants.add(t.asString()));
      out.put(e.getKey(), tenants);
    }
    return of(out);
  }

  /** The tenants the verified caller may act for (empty: none). */
  public Set<String> tenantsOf(String caller) {
    Set<String> out = new LinkedHashSet<>();
    if (caller == null) {
      return out;
    }
    List<String> names = new ArrayList<>(List.of(caller));
    Matcher m = ASSUMED_ROLE.matcher(caller);
    if (m.matches()) {
      names.add("arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3));
    }
    byPrincipal.forEach((key, tenants) -> {
      for (String name : names) {
        if (key.endsWith("*") ? name.startsWith(key.substring(0, key.length() - 1)) : name.equals(key)) {
          out.addAll(tenants);
        }
      }
    });
    return out;
  }
}
