package io.telebridge.local.template;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Static helpers about intrinsic functions in their long form. */
public final class Intrinsics {

  static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private Intrinsics() {}

  /** A one-key map whose key is {@code Ref}, {@code Condition} or starts with {@code Fn::}. */
  public static boolean isIntrinsic(Map<?, ?> map) {
    if (map.size() != 1) {
      return false;
    }
    Object key = map.keySet().iterator().next();
    return key instanceof String k && (k.equals("Ref") || k.equals("Condition") || k.startsWith("Fn::"));
  }

  /**
   * Logical ids (resources, parameters or pseudo parameters) that a value refers to through
   * {@code Ref}, {@code Fn::GetAtt} or {@code Fn::Sub} variables.
   */
  public static Set<String> references(Object value) {
    Set<String> out = new LinkedHashSet<>();
    collect(value, out);
    return out;
  }

  private static void collect(Object value, Set<String> out) {
    if (value instanceof Map<?, ?> map) {
      if (isIntrinsic(map)) {
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        String fn = (String) e.getKey();
        Object arg = e.getValue();
        switch (fn) {
          case "Ref" -> out.add(String.valueOf(arg));
          case "Fn::GetAtt" -> {
            if (arg instanceof List<?> l && !l.isEmpty()) {
              out.add(String.valueOf(l.get(0)));
            }
          }
          case "Fn::Sub" -> {
            if (arg instanceof String s) {
              subVariables(s, out, Set.of());
            } else if (arg instanceof List<?> l && !l.isEmpty()) {
              Set<String> local = l.size() > 1 && l.get(1) instanceof Map<?, ?> vars
                  ? stringKeys(vars) : Set.of();
              if (l.get(0) instanceof String s) {
                subVariables(s, out, local);
              }
              if (l.size() > 1) {
                collect(l.get(1), out);
              }
            }
          }
          default -> collect(arg, out);
        }
        return;
      }
      for (Object v : map.values()) {
        collect(v, out);
      }
    } else if (value instanceof List<?> list) {
      for (Object v : list) {
        collect(v, out);
      }
    }
  }

  private static Set<String> stringKeys(Map<?, ?> map) {
    Set<String> keys = new LinkedHashSet<>();
    map.keySet().forEach(k -> keys.add(String.valueOf(k)));
    return keys;
  }

  private static void subVariables(String template, Set<String> out, Set<String> local) {
    Matcher m = SUB_VARIABLE.matcher(template);
    while (m.find()) {
      String name = m.group(1).trim();
      if (name.startsWith("!") || local.contains(name)) {
        continue;
      }
      int dot = name.indexOf('.');
      out.add(dot > 0 ? name.substring(0, dot) : name);
    }
  }
}
