package io.telebridge.local.template;

import static io.telebridge.local.template.StackResolver.NO_VALUE;
import static io.telebridge.local.template.StackResolver.REGION;
import static io.telebridge.local.template.StackResolver.describe;
import static io.telebridge.local.template.StackResolver.scalarToString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * CloudFormation's intrinsic functions ({@code Fn::*}, {@code Ref}, {@code Condition}) evaluated against one
 * {@link StackResolver}: the stack gives what a name means (parameters, pseudo parameters, conditions,
 * resources), this class what each function does with its arguments. See {@link StackResolver} for the list.
 */
final class IntrinsicFunctions {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final StackResolver stack;
  private final Map<String, String> imports;

  IntrinsicFunctions(StackResolver stack, Map<String, String> imports) {
    this.stack = stack;
    this.imports = imports;
  }

  /** The value of the function {@code fn} applied to {@code arg} (not yet resolved). */
  Object apply(String fn, Object arg) {
    return switch (fn) {
      case "Ref" -> stack.ref(scalarToString(stack.resolve(arg)));
      case "Condition" -> stack.condition(scalarToString(arg));
      case "Fn::GetAtt" -> getAtt(arg);
      case "Fn::Sub" -> sub(arg);
      case "Fn::If" -> fnIf(arg);
      case "Fn::Equals" -> {
        List<?> l = args(fn, arg, 2);
        yield equalsValue(stack.resolve(l.get(0)), stack.resolve(l.get(1)));
      }
      case "Fn::Not" -> !bool(fn, stack.resolve(args(fn, arg, 1).get(0)));
      case "Fn::And" -> {
        boolean all = true;
        for (Object c : list(fn, arg)) {
          all &= bool(fn, stack.resolve(c));
        }
        yield all;
      }
      case "Fn::Or" -> {
        boolean any = false;
        for (Object c : list(fn, arg)) {
          any |= bool(fn, stack.resolve(c));
        }
        yield any;
      }
      case "Fn::Join" -> {
        List<?> l = args(fn, arg, 2);
        String delimiter = scalarToString(stack.resolve(l.get(0)));
        List<String> parts = new ArrayList<>();
        for (Object o : list(fn, stack.resolve(l.get(1)))) {
          if (o != NO_VALUE) {
            parts.add(scalarToString(o));
          }
        }
        yield String.join(delimiter, parts);
      }
      case "Fn::Select" -> {
        List<?> l = args(fn, arg, 2);
        int index = Integer.parseInt(scalarToString(stack.resolve(l.get(0))));
        List<?> from = list(fn, stack.resolve(l.get(1)));
        if (index < 0 || index >= from.size()) {
          throw new TemplateException("Fn::Select index " + index + " is outside a list of " + from.size());
        }
        yield from.get(index);
      }
      case "Fn::Split" -> {
        List<?> l = args(fn, arg, 2);
        String delimiter = scalarToString(stack.resolve(l.get(0)));
        String source = scalarToString(stack.resolve(l.get(1)));
        yield new ArrayList<Object>(List.of(source.split(Pattern.quote(delimiter), -1)));
      }
      case "Fn::FindInMap" -> findInMap(arg);
      case "Fn::Base64" -> Base64.getEncoder().encodeToString(
          scalarToString(stack.resolve(arg)).getBytes(StandardCharsets.UTF_8));
      case "Fn::GetAZs" -> new ArrayList<Object>(List.of(REGION + "a", REGION + "b", REGION + "c"));
      case "Fn::ImportValue" -> {
        String name = scalarToString(stack.resolve(arg));
        String v = imports.get(name);
        if (v == null) {
          throw new TemplateException("Fn::ImportValue '" + name
              + "' has no local value; give one to the launcher (--import " + name + "=VALUE)");
        }
        yield v;
      }
      case "Fn::Length" -> (long) list(fn, stack.resolve(arg)).size();
      case "Fn::ToJsonString" -> JSON.writeValueAsString(stack.resolve(arg));
      default -> throw new TemplateException(fn + " is not supported by the local stack");
    };
  }

  private Object getAtt(Object arg) {
    List<?> l = args("Fn::GetAtt", arg, 2);
    String logicalId = scalarToString(stack.resolve(l.get(0)));
    String attribute = scalarToString(stack.resolve(l.get(1)));
    return stack.getAtt(logicalId, attribute);
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
          vars.put(String.valueOf(e.getKey()), stack.resolve(e.getValue()));
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
        replacement = stack.getAtt(name.substring(0, dot), name.substring(dot + 1));
      } else {
        Object value = stack.ref(name);
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
    return stack.resolve(stack.condition(conditionName) ? l.get(1) : l.get(2));
  }

  private Object findInMap(Object arg) {
    List<?> l = list("Fn::FindInMap", arg);
    if (l.size() < 3) {
      throw new TemplateException("Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]");
    }
    String mapName = scalarToString(stack.resolve(l.get(0)));
    String top = scalarToString(stack.resolve(l.get(1)));
    String second = scalarToString(stack.resolve(l.get(2)));
    Object map = stack.template().mappings().get(mapName);
    Object value = null;
    if (map instanceof Map<?, ?> m && m.get(top) instanceof Map<?, ?> t) {
      value = t.get(second);
    }
    if (value == null) {
      if (l.size() > 3 && l.get(3) instanceof Map<?, ?> options && options.containsKey("DefaultValue")) {
        return stack.resolve(options.get("DefaultValue"));
      }
      throw new TemplateException("Fn::FindInMap " + mapName + "/" + top + "/" + second + " is not in Mappings");
    }
    return stack.resolve(value);
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
      return Objects.equals(a, b);
    }
    return Objects.equals(
        a == null ? null : scalarToString(a), b == null ? null : scalarToString(b));
  }
}
