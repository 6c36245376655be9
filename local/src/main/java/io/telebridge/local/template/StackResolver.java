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
import java.util.regex.Matcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates CloudFormation intrinsic functions against one local "stack": parameter values,
 * pseudo parameters, conditions, mappings and the resources registered so far (their
 * {@code Ref} value and {@code Fn::GetAtt} attributes).
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

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What {@code Ref} and {@code Fn::GetAtt} give for one resource. */
  public record ResourceRef(String ref, Map<String, String> attributes) {
    public ResourceRef {
      attributes = Map.copyOf(attributes);
    }
  }

  private final Template template;
  private final String stackName;
  private final Map<String, String> parameterValues;
  private final Map<String, String> imports;
  private final Map<String, ResourceRef> resources = new ConcurrentHashMap<>();
  private final Map<String, Boolean> conditionCache = new HashMap<>();
  private final Set<String> conditionsInProgress = new HashSet<>();

  public StackResolver(
      Template template, String stackName, Map<String, String> parameterValues, Map<String, String> imports) {
    this.template = template;
    this.stackName = stackName;
    this.parameterValues = Map.copyOf(parameterValues);
    this.imports = Map.copyOf(imports);
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
        return function((String) e.getKey(), e.getValue());
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

  private Object function(String fn, Object arg) {
    return switch (fn) {
      case "Ref" -> ref(scalarToString(resolve(arg)));
      case "Condition" -> condition(scalarToString(arg));
      case "Fn::GetAtt" -> getAtt(arg);
      case "Fn::Sub" -> sub(arg);
      case "Fn::If" -> fnIf(arg);
      case "Fn::Equals" -> {
        List<?> l = args(fn, arg, 2);
        yield equalsValue(resolve(l.get(0)), resolve(l.get(1)));
      }
      case "Fn::Not" -> !bool(fn, resolve(args(fn, arg, 1).get(0)));
      case "Fn::And" -> {
        boolean all = true;
        for (Object c : list(fn, arg)) {
          all &= bool(fn, resolve(c));
        }
        yield all;
      }
      case "Fn::Or" -> {
        boolean any = false;
        for (Object c : list(fn, arg)) {
          any |= bool(fn, resolve(c));
        }
        yield any;
      }
      case "Fn::Join" -> {
        List<?> l = args(fn, arg, 2);
        String delimiter = scalarToString(resolve(l.get(0)));
        List<String> parts = new ArrayList<>();
        for (Object o : list(fn, resolve(l.get(1)))) {
          if (o != NO_VALUE) {
            parts.add(scalarToString(o));
          }
        }
        yield String.join(delimiter, parts);
      }
      case "Fn::Select" -> {
        List<?> l = args(fn, arg, 2);
        int index = Integer.parseInt(scalarToString(resolve(l.get(0))));
        List<?> from = list(fn, resolve(l.get(1)));
        if (index < 0 || index >= from.size()) {
          throw new TemplateException("Fn::Select index " + index + " is outside a list of " + from.size());
        }
        yield from.get(index);
      }
      case "Fn::Split" -> {
        List<?> l = args(fn, arg, 2);
        String delimiter = scalarToString(resolve(l.get(0)));
        String source = scalarToString(resolve(l.get(1)));
        yield new ArrayList<Object>(List.of(source.split(java.util.regex.Pattern.quote(delimiter), -1)));
      }
      case "Fn::FindInMap" -> findInMap(arg);
      case "Fn::Base64" -> Base64.getEncoder().encodeToString(
          scalarToString(resolve(arg)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      case "Fn::GetAZs" -> new ArrayList<Object>(List.of(REGION + "a", REGION + "b", REGION + "c"));
      case "Fn::ImportValue" -> {
        String name = scalarToString(resolve(arg));
        String v = imports.get(name);
        if (v == null) {
          throw new TemplateException("Fn::ImportValue '" + name
              + "' has no local value; give one to the launcher (--import " + name + "=VALUE)");
        }
        yield v;
      }
      case "Fn::Length" -> (long) list(fn, resolve(arg)).size();
      case "Fn::ToJsonString" -> JSON.writeValueAsString(resolve(arg));
      default -> throw new TemplateException(fn + " is not supported by the local stack");
    };
  }

  private Object ref(String name) {
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

  private Object getAtt(Object arg) {
    List<?> l = args("Fn::GetAtt", arg, 2);
    String logicalId = scalarToString(resolve(l.get(0)));
    String attribute = scalarToString(resolve(l.get(1)));
    return getAtt(logicalId, attribute);
  }

  private String getAtt(String logicalId, String attribute) {
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

  private String sub(Object arg) {
    String text;
    Map<String, Object> vars = new HashMap<>();
    if (arg instanceof String s) {
      text = s;
    } else if (arg instanceof List<?> l && !l.isEmpty()) {
      text = scalarToString(l.get(0));
      if (l.size() > 1 && l.get(1) instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          vars.put(String.valueOf(e.getKey()), resolve(e.getValue()));
        }
      }
    } else {
      throw new TemplateException("Fn::Sub needs a string or [string, {variables}]");
    }
    Matcher m = Intrinsics.SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).trim();
      String replacement;
      if (name.startsWith("!")) {
        replacement = "${" + name.substring(1) + "}";
      } else if (vars.containsKey(name)) {
        replacement = scalarToString(vars.get(name));
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        int dot = name.indexOf('.');
        replacement = getAtt(name.substring(0, dot), name.substring(dot + 1));
      } else {
        Object value = ref(name);
        if (value instanceof List<?> list) {
          throw new TemplateException("Fn::Sub variable ${" + name + "} is a list (" + list.size() + " items)");
        }
        replacement = scalarToString(value);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Object fnIf(Object arg) {
    List<?> l = args("Fn::If", arg, 3);
    String conditionName = scalarToString(l.get(0));
    return resolve(condition(conditionName) ? l.get(1) : l.get(2));
  }

  private Object findInMap(Object arg) {
    List<?> l = list("Fn::FindInMap", arg);
    if (l.size() < 3) {
      throw new TemplateException("Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]");
    }
    String mapName = scalarToString(resolve(l.get(0)));
    String top = scalarToString(resolve(l.get(1)));
    String second = scalarToString(resolve(l.get(2)));
    Object map = template.mappings().get(mapName);
    Object value = null;
    if (map instanceof Map<?, ?> m && m.get(top) instanceof Map<?, ?> t) {
      value = t.get(second);
    }
    if (value == null) {
      if (l.size() > 3 && l.get(3) instanceof Map<?, ?> options && options.containsKey("DefaultValue")) {
        return resolve(options.get("DefaultValue"));
      }
      throw new TemplateException("Fn::FindInMap " + mapName + "/" + top + "/" + second + " is not in Mappings");
    }
    return resolve(value);
  }

  private static List<?> args(String fn, Object arg, int count) {
    List<?> l = list(fn, arg);
    if (l.size() != count) {
      throw new TemplateException(fn + " needs " + count + " arguments, got " + l.size());
    }
    return l;
  }

  private static List<?> list(String fn, Object arg) {
    if (arg instanceof List<?> l) {
      return l;
    }
    throw new TemplateException(fn + " needs a list, got " + describe(arg));
  }

  private static boolean bool(String fn, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new TemplateException(fn + " needs a condition, got " + describe(value));
  }

  private static boolean equalsValue(Object a, Object b) {
    if (a instanceof List<?> || b instanceof List<?> || a instanceof Map<?, ?> || b instanceof Map<?, ?>) {
      return java.util.Objects.equals(a, b);
    }
    return java.util.Objects.equals(
        a == null ? null : scalarToString(a), b == null ? null : scalarToString(b));
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

  private static String describe(Object value) {
    if (value instanceof Map<?, ?> m) {
      return "a mapping with keys " + m.keySet();
    }
    if (value instanceof List<?> l) {
      return "a list of " + l.size();
    }
    return value == null ? "nothing" : "'" + value + "'";
  }
}
