package io.telebridge.local.template;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Chooses a value for every template parameter: the launcher's override, else the parameter's
 * {@code Default}, else what {@code fallback} supplies (the local stack creates a development
 * secret for parameters named {@code *SecretArn}), else an error naming the parameter. Values
 * are checked against {@code AllowedValues}, {@code AllowedPattern}, {@code MinLength},
 * {@code MaxLength}, {@code MinValue} and {@code MaxValue} as CloudFormation does.
 */
public final class Parameters {

  private Parameters() {}

  public static Map<String, String> resolve(
      Template template, Map<String, String> overrides, Function<String, String> fallback) {
    for (String name : overrides.keySet()) {
      if (!template.parameters().containsKey(name)) {
        throw new TemplateException("parameter override '" + name + "' is not a parameter of the template");
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> e : template.parameters().entrySet()) {
      String name = e.getKey();
      Map<String, Object> def = e.getValue();
      String value = overrides.get(name);
      if (value == null && def.containsKey("Default")) {
        value = toText(def.get("Default"));
      }
      if (value == null) {
        value = fallback.apply(name);
      }
      if (value == null) {
        throw new TemplateException("parameter '" + name + "' has no Default: give it a value "
            + "(--parameter " + name + "=VALUE, or LocalStackOptions.parameter)");
      }
      validate(name, def, value);
      values.put(name, value);
    }
    return values;
  }

  private static String toText(Object value) {
    if (value instanceof List<?> list) {
      StringBuilder sb = new StringBuilder();
      for (Object o : list) {
        if (!sb.isEmpty()) {
          sb.append(',');
        }
        sb.append(StackResolver.scalarToString(o));
      }
      return sb.toString();
    }
    return value == null ? null : StackResolver.scalarToString(value);
  }

  static void validate(String name, Map<String, Object> def, String value) {
    String type = String.valueOf(def.getOrDefault("Type", "String"));
    if (def.get("AllowedValues") instanceof List<?> allowed && !type.startsWith("List<")
        && !type.equals("CommaDelimitedList")) {
      boolean ok = allowed.stream().map(StackResolver::scalarToString).anyMatch(value::equals);
      if (!ok) {
        throw new TemplateException("parameter '" + name + "' = '" + value + "' is not one of " + allowed);
      }
    }
    if (def.get("AllowedPattern") instanceof String pattern && !Pattern.compile(pattern).matcher(value).matches()) {
      throw new TemplateException("parameter '" + name + "' does not match its AllowedPattern " + pattern);
    }
    if (def.containsKey("MinLength") && value.length() < Integer.parseInt(toText(def.get("MinLength")))) {
      throw new TemplateException("parameter '" + name + "' is shorter than MinLength");
    }
    if (def.containsKey("MaxLength") && value.length() > Integer.parseInt(toText(def.get("MaxLength")))) {
      throw new TemplateException("parameter '" + name + "' is longer than MaxLength");
    }
    if (type.equals("Number")) {
      BigDecimal n;
      try {
        n = new BigDecimal(value.trim());
      } catch (NumberFormatException ex) {
        throw new TemplateException("parameter '" + name + "' = '" + value + "' is not a Number");
      }
      if (def.containsKey("MinValue") && n.compareTo(new BigDecimal(toText(def.get("MinValue")))) < 0) {
        throw new TemplateException("parameter '" + name + "' = " + value + " is below MinValue " + def.get("MinValue"));
      }
      if (def.containsKey("MaxValue") && n.compareTo(new BigDecimal(toText(def.get("MaxValue")))) > 0) {
        throw new TemplateException("parameter '" + name + "' = " + value + " is above MaxValue " + def.get("MaxValue"));
      }
    }
  }
}
