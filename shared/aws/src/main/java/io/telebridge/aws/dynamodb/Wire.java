package io.telebridge.aws.dynamodb;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Attribute values to and from the JSON protocol's shape (maps and lists of the parsed JSON). */
final class Wire {

  private Wire() {}

  static Map<String, Object> json(Map<String, AttributeValue> item) {
    Map<String, Object> out = new LinkedHashMap<>();
    item.forEach((name, value) -> out.put(name, json(value)));
    return out;
  }

  static Map<String, Object> json(AttributeValue v) {
    Object raw = switch (v.type()) {
      case S, N, BOOL, NULL -> v.raw();
      case B -> Base64.getEncoder().encodeToString(v.b());
      case M -> json(v.m());
      case L -> v.l().stream().map(Wire::json).toList();
      case SS, NS -> v.raw();
      case BS -> ((List<?>) v.raw()).stream().map(b -> Base64.getEncoder().encodeToString((byte[]) b)).toList();
    };
    return Map.of(v.type().name(), raw);
  }

  /** An item (name → typed value) from its JSON; empty for null. */
  static Map<String, AttributeValue> item(Object json) {
    if (!(json instanceof Map<?, ?> map)) {
      return Map.of();
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    map.forEach((name, value) -> out.put((String) name, value(value)));
    return out;
  }

  static AttributeValue value(Object json) {
    Map<?, ?> typed = (Map<?, ?>) json;
    if (typed.size() != 1) {
      throw new IllegalArgumentException("an attribute value has one type, got " + typed.keySet());
    }
    Map.Entry<?, ?> e = typed.entrySet().iterator().next();
    Object v = e.getValue();
    return switch ((String) e.getKey()) {
      case "S" -> AttributeValue.fromS((String) v);
      case "N" -> AttributeValue.fromN(String.valueOf(v));
      case "B" -> AttributeValue.fromB(Base64.getDecoder().decode((String) v));
      case "BOOL" -> AttributeValue.fromBool((Boolean) v);
      case "NULL" -> AttributeValue.fromNul();
      case "M" -> AttributeValue.fromM(item(v));
      case "L" -> {
        List<AttributeValue> l = new ArrayList<>();
        for (Object o : (List<?>) v) {
          l.add(value(o));
        }
        yield AttributeValue.fromL(l);
      }
      case "SS" -> AttributeValue.fromSs(strings(v));
      case "NS" -> AttributeValue.fromNs(strings(v));
      case "BS" -> AttributeValue.fromBs(strings(v).stream().map(Base64.getDecoder()::decode).toList());
      default -> throw new IllegalArgumentException("unknown attribute type " + e.getKey());
    };
  }

  private static List<String> strings(Object v) {
    return ((List<?>) v).stream().map(String::valueOf).toList();
  }

  /** A request's fields as JSON: attribute maps typed, names and scalars as they are. */
  static Map<String, Object> json(Request request) {
    Map<String, Object> out = new LinkedHashMap<>();
    request.fields().forEach((name, value) -> {
      if (!(value instanceof Map<?, ?> map && map.isEmpty())) { // DynamoDB refuses an empty map
        out.put(name, field(value));
      }
    });
    return out;
  }

  private static Object field(Object value) {
    if (value instanceof Map<?, ?> map && map.values().iterator().next() instanceof AttributeValue) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, json((AttributeValue) v)));
      return out;
    }
    return value;
  }
}
