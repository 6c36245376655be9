package io.telebridge.local.template;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed CloudFormation / SAM template: the raw sections, and its resources with SAM
 * {@code Globals} merged in the way the SAM transform does (maps merged, lists concatenated
 * global-first, scalars and intrinsics overridden by the resource).
 */
public final class Template {

  /** Which Globals section applies to which resource type. */
  private static final Map<String, String> GLOBALS_SECTION = Map.of(
      "AWS::Serverless::Function", "Function",
      "AWS::Serverless::Api", "Api",
      "AWS::Serverless::HttpApi", "HttpApi",
      "AWS::Serverless::SimpleTable", "SimpleTable",
      "AWS::Serverless::StateMachine", "StateMachine",
      "AWS::Serverless::LayerVersion", "LayerVersion");

  private final Path path;
  private final Map<String, Object> root;
  private final Map<String, TemplateResource> resources;

  private Template(Path path, Map<String, Object> root) {
    this.path = path;
    this.root = root;
    this.resources = Collections.unmodifiableMap(buildResources());
  }

  public static Template load(Path file) throws IOException {
    return new Template(file.toAbsolutePath().normalize(), asRoot(CfnYaml.read(file)));
  }

  public static Template parse(String yaml) {
    return new Template(null, asRoot(CfnYaml.read(yaml)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asRoot(Object parsed) {
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("a template must be a YAML mapping");
    }
    return (Map<String, Object>) map;
  }

  /** The file it was read from, or {@code null} when parsed from a string. */
  public Path path() {
    return path;
  }

  public Map<String, Object> raw() {
    return root;
  }

  public Map<String, Map<String, Object>> parameters() {
    return sectionOfMaps("Parameters");
  }

  public Map<String, Object> conditions() {
    return section("Conditions");
  }

  public Map<String, Object> mappings() {
    return section("Mappings");
  }

  public Map<String, Object> globals() {
    return section("Globals");
  }

  public Map<String, Object> outputs() {
    return section("Outputs");
  }

  /** Resources in template order, Globals merged. */
  public Map<String, TemplateResource> resources() {
    return resources;
  }

  public TemplateResource resource(String logicalId) {
    TemplateResource r = resources.get(logicalId);
    if (r == null) {
      throw new IllegalArgumentException("no resource '" + logicalId + "' in the template");
    }
    return r;
  }

  public List<TemplateResource> resourcesOfType(String type) {
    List<TemplateResource> out = new ArrayList<>();
    for (TemplateResource r : resources.values()) {
      if (r.isType(type)) {
        out.add(r);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> section(String name) {
    Object value = root.get(name);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("template section " + name + " must be a mapping");
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> sectionOfMaps(String name) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : section(name).entrySet()) {
      out.put(e.getKey(), e.getValue() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, TemplateResource> buildResources() {
    Map<String, TemplateResource> out = new LinkedHashMap<>();
    Map<String, Object> globals = globals();
    for (Map.Entry<String, Object> e : section("Resources").entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> body)) {
        throw new IllegalArgumentException("resource " + e.getKey() + " must be a mapping");
      }
      Map<String, Object> def = (Map<String, Object>) body;
      Object type = def.get("Type");
      if (!(type instanceof String typeName)) {
        throw new IllegalArgumentException("resource " + e.getKey() + " has no Type");
      }
      Map<String, Object> properties = def.get("Properties") instanceof Map<?, ?> p
          ? (Map<String, Object>) p
          : new LinkedHashMap<>();
      String section = GLOBALS_SECTION.get(typeName);
      if (section != null && globals.get(section) instanceof Map<?, ?> g) {
        properties = mergeGlobals((Map<String, Object>) g, properties);
      }
      Object dependsOn = def.get("DependsOn");
      List<String> deps = new ArrayList<>();
      if (dependsOn instanceof String s) {
        deps.add(s);
      } else if (dependsOn instanceof List<?> l) {
        l.forEach(d -> deps.add(String.valueOf(d)));
      }
      Object condition = def.get("Condition");
      out.put(e.getKey(), new TemplateResource(
          e.getKey(), typeName, properties, condition == null ? null : condition.toString(), deps));
    }
    return out;
  }

  /**
   * SAM's Globals rules: maps merge key by key, lists are concatenated (global entries first),
   * anything else (scalars, intrinsic functions) is taken from the resource when it has one.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mergeGlobals(Map<String, Object> global, Map<String, Object> local) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : global.entrySet()) {
      out.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Object> e : local.entrySet()) {
      Object g = out.get(e.getKey());
      Object l = e.getValue();
      if (g instanceof Map<?, ?> gm && l instanceof Map<?, ?> lm
          && !Intrinsics.isIntrinsic(gm) && !Intrinsics.isIntrinsic(lm)) {
        out.put(e.getKey(), mergeGlobals((Map<String, Object>) gm, (Map<String, Object>) lm));
      } else if (g instanceof List<?> gl && l instanceof List<?> ll) {
        List<Object> merged = new ArrayList<>(gl);
        merged.addAll(ll);
        out.put(e.getKey(), merged);
      } else {
        out.put(e.getKey(), l);
      }
    }
    return out;
  }
}
