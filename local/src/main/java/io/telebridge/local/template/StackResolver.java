package io.telebridge.local.template;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates CloudFormation intrinsic functions against one local "stack": parameter values,
 * pseudo parameters, conditions, mappings and the resources registered so far (their
 * {@code Ref} value and {@code Fn::GetAtt} attributes). This class holds the stack and what its
 * names mean; {@link IntrinsicFunctions} evaluates the functions.
 *
 * <p>Supported: {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub} (string and list forms, with
 * {@code ${!Literal}}), {@code Fn::If}, {@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And},
 * {@code Fn::Or}, {@code Condition}, {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split},
 * {@code Fn::FindInMap}, {@code Fn::Base64}, {@code Fn::GetAZs}, {@code Fn::ImportValue}
 * (from values the launcher was given), {@code Fn::Length}, {@code Fn::ToJsonString}.
 * {@code AWS::NoValue} removes the key or list element that holds it. Not supported (error):
 * {@code Fn::Cidr}, {@code Fn::Transform}.
 */
public final class StackResolver {

  /** The value of {@code Ref AWS::NoValue}: the enclosing key or list element is removed. */
  public static final Object NO_VALUE = new Object() {
    @Override
    public String toString() {
      return "AWS::NoValue";
    }
  };

  public static final String REGION = "us-east-1";
  public static final String ACCOUNT_ID = "000000000000";
  public static final String PARTITION = "aws";
  public static final String URL_SUFFIX = "amazonaws.com";

  /** What {@code Ref} and {@code Fn::GetAtt} give for one resource. */
  public record ResourceRef(String ref, Map<String, String> attributes) {
    public ResourceRef {
      attributes = Map.copyOf(attributes);
    }
  }

  private final Template template;
  private final String stackName;
  private final Map<String, String> parameterValues;
  private final IntrinsicFunctions functions;
  private final Map<String, ResourceRef> resources = new ConcurrentHashMap<>();
  private final Map<String, Boolean> conditionCache = new HashMap<>();
  private final Set<String> conditionsInProgress = new HashSet<>();

  public StackResolver(
      Template template, String stackName, Map<String, String> parameterValues, Map<String, String> imports) {
    this.template = template;
    this.stackName = stackName;
    this.parameterValues = Map.copyOf(parameterValues);
    this.functions = new IntrinsicFunctions(this, Map.copyOf(imports));
  }

  public Template template() {
    return template;
  }

  public String stackName() {
    return stackName;
  }

  /** Parameter values as strings, after defaults and overrides. */
  public Map<String, String> parameterValues() {
    return parameterValues;
  }

  public void register(String logicalId, String ref, Map<String, String> attributes) {
    resources.put(logicalId, new ResourceRef(ref, attributes));
  }

  public boolean isRegistered(String logicalId) {
    return resources.containsKey(logicalId);
  }

  public ResourceRef registered(String logicalId) {
    return resources.get(logicalId);
  }

  /** Whether the resource exists in this stack (its {@code Condition}, if any, is true). */
  public boolean included(TemplateResource resource) {
    return resource.condition() == null || condition(resource.condition());
  }

  public synchronized boolean condition(String name) {
    Boolean cached = conditionCache.get(name);
    if (cached != null) {
      return cached;
    }
    if (!template.conditions().containsKey(name)) {
      throw new TemplateException("condition '" + name + "' is not defined in Conditions");
    }
    if (!conditionsInProgress.add(name)) {
      throw new TemplateException("condition '" + name + "' refers to itself");
    }
    try {
      Object value = resolve(template.conditions().get(name));
      if (!(value instanceof Boolean b)) {
        throw new TemplateException("condition '" + name + "' does not evaluate to true or false");
      }
      conditionCache.put(name, b);
      return b;
    } finally {
      conditionsInProgress.remove(name);
    }
  }

  /** Resolves a value to a string (numbers and booleans as CloudFormation renders them). */
  public String resolveString(Object value, String where) {
    Object resolved = resolve(value);
    if (resolved == NO_VALUE || resolved == null) {
      return null;
    }
    if (resolved instanceof Map<?, ?> || resolved instanceof List<?>) {
      throw new TemplateException(where + ": expected a string, got " + describe(resolved));
    }
    return scalarToString(resolved);
  }

  /** Deep-resolves every intrinsic function in a value. */
  public Object resolve(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (Intrinsics.isIntrinsic(map)) {
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        return functions.apply((String) e.getKey(), e.getValue());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = resolve(e.getValue());
        if (v != NO_VALUE) {
          out.put(String.valueOf(e.getKey()), v);
        }
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        Object v = resolve(item);
        if (v != NO_VALUE) {
          out.add(v);
        }
      }
      return out;
    }
    return value;
  }

  /** What {@code Ref name} gives: a pseudo parameter, a parameter, a registered resource or a function's alias. */
  Object ref(String name) {
    switch (name) {
      case "AWS::Region":
        return REGION;
      case "AWS::AccountId":
        return ACCOUNT_ID;
      case "AWS::StackName":
        return stackName;
      case "AWS::StackId":
        return "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + stackName
            + "/00000000-0000-0000-0000-000000000000";
      case "AWS::Partition":
        return PARTITION;
      case "AWS::URLSuffix":
        return URL_SUFFIX;
      case "AWS::NoValue":
        return NO_VALUE;
      case "AWS::NotificationARNs":
        return new ArrayList<>();
      default:
        break;
    }
    Map<String, Object> parameter = template.parameters().get(name);
    if (parameter != null) {
      String value = parameterValues.get(name);
      if (value == null) {
        throw new TemplateException("parameter '" + name + "' has no value");
      }
      String type = String.valueOf(parameter.getOrDefault("Type", "String"));
      if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
        List<Object> items = new ArrayList<>();
        if (!value.isEmpty()) {
          for (String s : value.split(",", -1)) {
            items.add(s.trim());
          }
        }
        return items;
      }
      return value;
    }
    ResourceRef resource = resources.get(name);
    if (resource != null) {
      return resource.ref();
    }
    String alias = aliasArn(name);
    if (alias != null) {
      return alias;
    }
    if (template.resources().containsKey(name)) {
      throw new TemplateException("resource '" + name + "' is referenced before it exists locally "
          + "(its type may not be emulated, or its Condition is false)");
    }
    throw new TemplateException("Ref '" + name + "' names no parameter, pseudo parameter or resource");
  }

  /**
   * SAM's {@code !Ref Function.Alias}: the ARN of the function's {@code AutoPublishAlias} (its ARN, a colon,
   * the alias name), once the function is registered; null for any other name.
   */
  private String aliasArn(String name) {
    if (!name.endsWith(".Alias")) {
      return null;
    }
    String function = name.substring(0, name.length() - ".Alias".length());
    ResourceRef f = resources.get(function);
    var definition = template.resources().get(function);
    if (f == null || f.attributes().get("Arn") == null || definition == null
        || !(definition.properties().get("AutoPublishAlias") instanceof String alias)) {
      return null;
    }
    return f.attributes().get("Arn") + ":" + alias;
  }

  /** What {@code Fn::GetAtt logicalId.attribute} gives for a registered resource. */
  String getAtt(String logicalId, String attribute) {
    ResourceRef resource = resources.get(logicalId);
    if (resource == null) {
      if (template.resources().containsKey(logicalId)) {
        throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute
            + ": the resource does not exist locally (yet)");
      }
      throw new TemplateException("Fn::GetAtt names no resource '" + logicalId + "'");
    }
    String value = resource.attributes().get(attribute);
    if (value == null) {
      throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute
          + " is not available locally; known attributes: " + resource.attributes().keySet());
    }
    return value;
  }

  public static String scalarToString(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return String.valueOf(d); // CloudFormation keeps "1.0" as written; close enough
    }
    if (value instanceof Boolean b) {
      return b.toString().toLowerCase(Locale.ROOT);
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw new TemplateException("expected a string, got " + describe(value));
    }
    return value.toString();
  }

  static String describe(Object value) {
    if (value instanceof Map<?, ?> m) {
      return "a mapping with keys " + m.keySet();
    }
    if (value instanceof List<?> l) {
      return "a list of " + l.size();
    }
    return value == null ? "nothing" : "'" + value + "'";
  }
}
