package io.telebridge.hl7v2;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which tenant owns which EHR: each tenant's EHR profile (its PID-3 assigning authority for the
 * platform id among the rest) and its EHR connection (the sending facilities, MSH-4, its EHR's
 * messages come from). Configuration, not code: the {@code TENANTS} environment variable, JSON
 *
 * <pre>
 *   {"demo-clinic":  {"ehrProfile": "generic-epic-like", "ehrFacilities": ["MAIN_CLINIC", "MAIN_LAB"]},
 *    "north-clinic": {"ehrProfile": "/opt/telebridge/profiles/north.yaml", "ehrFacilities": ["NORTH_HOSP"]}}
 * </pre>
 *
 * {@code ehrProfile} defaults to the deployment's {@code EHR_PROFILE}. A single tenant may leave
 * {@code ehrFacilities} out: it owns the EHR connection, whatever facility its messages name. With
 * several tenants each lists its facilities, no facility belongs to two tenants, and no two tenants
 * share a platform assigning authority (an echoed platform id then names its tenant). The return path
 * resolves a message only within the tenant that owns its sending facility; a facility no tenant owns
 * is refused, never guessed.
 */
public final class TenantDirectory {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One tenant's EHR side.
   *
   * @param ehrFacilities MSH-4 values of its EHR's messages; empty: every facility (a single tenant only)
   */
  public record Tenant(String id, EhrProfile profile, Set<String> ehrFacilities) {
    public Tenant {
      ehrFacilities = Set.copyOf(ehrFacilities);
    }

    /** The PID-3 assigning authority of the platform patient id in this tenant's EHR. */
    public String platformAuthority() {
      return profile.authorities().platform().namespaceId();
    }
  }

  private final Map<String, Tenant> tenants;

  public TenantDirectory(Collection<Tenant> tenants) {
    Map<String, Tenant> byId = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> facilityOwner = new LinkedHashMap<>();
    Map<String, String> authorityOwner = new LinkedHashMap<>();
    for (Tenant t : tenants) {
      if (byId.put(t.id(), t) != null) {
        problems.add("tenant " + t.id() + " is listed twice");
      }
      for (String f : t.ehrFacilities()) {
        String other = facilityOwner.put(f, t.id());
        if (other != null && !other.equals(t.id())) {
          problems.add("EHR facility " + f + " belongs to both " + other + " and " + t.id());
        }
      }
    }
    if (byId.isEmpty()) {
      problems.add("no tenant is configured");
    }
    if (byId.size() > 1) {
      for (Tenant t : byId.values()) {
        if (t.ehrFacilities().isEmpty()) {
          problems.add("tenant " + t.id() + " needs ehrFacilities (the MSH-4 values of its EHR) when several tenants are configured");
        }
        String other = authorityOwner.put(t.platformAuthority(), t.id());
        if (other != null) {
          problems.add("tenants " + other + " and " + t.id() + " share the platform assigning authority "
              + t.platformAuthority() + " (each tenant's EHR profile needs its own authorities.platform)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("TENANTS misconfigured: " + String.join("; ", problems));
    }
    this.tenants = java.util.Collections.unmodifiableMap(byId);
  }

  /**
   * Reads {@code TENANTS}; when it is empty, the single tenant {@code legacyTenant} (which owns the
   * connection) on {@code defaultProfile}. Profiles are loaded by {@code profiles} (name or file).
   */
  public static TenantDirectory parse(String json, String legacyTenant, String defaultProfile,
      Function<String, EhrProfile> profiles) {
    if (json == null || json.isBlank()) {
      if (legacyTenant == null || legacyTenant.isBlank()) {
        throw new IllegalArgumentException("TENANTS misconfigured: neither TENANTS nor TENANT is set");
      }
      return new TenantDirectory(List.of(new Tenant(legacyTenant, profiles.apply(defaultProfile), Set.of())));
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("TENANTS is not JSON {\"<tenant>\": {\"ehrProfile\": ..., \"ehrFacilities\": [...]}}");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("TENANTS must be a JSON object of tenant -> {ehrProfile, ehrFacilities}");
    }
    List<Tenant> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode t = e.getValue();
      for (Map.Entry<String, JsonNode> field : t.properties()) {
        if (!Set.of("ehrProfile", "ehrFacilities").contains(field.getKey())) {
          throw new IllegalArgumentException("TENANTS." + e.getKey() + "." + field.getKey() + " is not a known key");
        }
      }
      String profile = t.path("ehrProfile").isString() ? t.path("ehrProfile").asString() : defaultProfile;
      Set<String> facilities = new LinkedHashSet<>();
      t.path("ehrFacilities").forEach(f -> facilities.add(f.asString()));
      out.add(new Tenant(e.getKey(), profiles.apply(profile), facilities));
    }
    return new TenantDirectory(out);
  }

  public static TenantDirectory parse(String json, String legacyTenant, String defaultProfile) {
    Map<String, EhrProfile> loaded = new LinkedHashMap<>();
    return parse(json, legacyTenant, defaultProfile, name -> loaded.computeIfAbsent(name, EhrProfile::fromSetting));
  }

  public Collection<Tenant> all() {
    return tenants.values();
  }

  public Optional<Tenant> tenant(String id) {
    return Optional.ofNullable(tenants.get(id));
  }

  /** The tenant that owns the EHR connection a message with this sending facility (MSH-4) came from. */
  public Optional<Tenant> ofFacility(String sendingFacility) {
    if (tenants.size() == 1) {
      Tenant only = tenants.values().iterator().next();
      if (only.ehrFacilities().isEmpty() || only.ehrFacilities().contains(sendingFacility)) {
        return Optional.of(only);
      }
      return Optional.empty();
    }
    return tenants.values().stream().filter(t -> t.ehrFacilities().contains(sendingFacility)).findFirst();
  }

  /** Tenant → its platform assigning authority. */
  public Map<String, String> platformAuthorities() {
    Map<String, String> out = new LinkedHashMap<>();
    tenants.values().forEach(t -> out.put(t.id(), t.platformAuthority()));
    return out;
  }

  @Override
  public String toString() {
    return "TenantDirectory" + tenants.keySet();
  }
}
