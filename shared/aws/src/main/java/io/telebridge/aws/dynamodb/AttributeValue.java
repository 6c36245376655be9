package io.telebridge.aws.dynamodb;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One DynamoDB attribute value, typed as on the wire ({@code {"S":..}}, {@code {"N":..}}, {@code {"BOOL":..}},
 * {@code {"NULL":true}}, {@code {"M":..}}, {@code {"L":..}}, {@code {"SS"/"NS":[..]}}, {@code {"B":..}}).
 * Numbers stay strings, as DynamoDB sends them; the adapters convert. An accessor of another type answers
 * null (empty for the collections), as the SDK's did. {@link #toString()} names the type only: values may be
 * PHI.
 */
public final class AttributeValue {

  /** The wire type names. */
  public enum Type { S, N, B, BOOL, NULL, M, L, SS, NS, BS }

  private final Type type;
  private final Object value;

  private AttributeValue(Type type, Object value) {
    this.type = type;
    this.value = Objects.requireNonNull(value, "value");
  }

  public static AttributeValue fromS(String s) {
    return new AttributeValue(Type.S, s);
  }

  public static AttributeValue fromN(String n) {
    return new AttributeValue(Type.N, n);
  }

  public static AttributeValue fromB(byte[] b) {
    return new AttributeValue(Type.B, b.clone());
  }

  public static AttributeValue fromBool(boolean b) {
    return new AttributeValue(Type.BOOL, b);
  }

  public static AttributeValue fromNul() {
    return new AttributeValue(Type.NULL, Boolean.TRUE);
  }

  public static AttributeValue fromM(Map<String, AttributeValue> m) {
    return new AttributeValue(Type.M, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m)));
  }

  public static AttributeValue fromL(List<AttributeValue> l) {
    return new AttributeValue(Type.L, List.copyOf(l));
  }

  public static AttributeValue fromSs(List<String> ss) {
    return new AttributeValue(Type.SS, List.copyOf(ss));
  }

  public static AttributeValue fromNs(List<String> ns) {
    return new AttributeValue(Type.NS, List.copyOf(ns));
  }

  static AttributeValue fromBs(List<byte[]> bs) {
    return new AttributeValue(Type.BS, List.copyOf(bs));
  }

  public Type type() {
    return type;
  }

  public String s() {
    return type == Type.S ? (String) value : null;
  }

  public String n() {
    return type == Type.N ? (String) value : null;
  }

  public byte[] b() {
    return type == Type.B ? ((byte[]) value).clone() : null;
  }

  public Boolean bool() {
    return type == Type.BOOL ? (Boolean) value : null;
  }

  public boolean nul() {
    return type == Type.NULL;
  }

  @SuppressWarnings("unchecked")
  public Map<String, AttributeValue> m() {
    return type == Type.M ? (Map<String, AttributeValue>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  public List<AttributeValue> l() {
    return type == Type.L ? (List<AttributeValue>) value : List.of();
  }

  @SuppressWarnings("unchecked")
  public List<String> ss() {
    return type == Type.SS ? (List<String>) value : List.of();
  }

  @SuppressWarnings("unchecked")
  public List<String> ns() {
    return type == Type.NS ? (List<String>) value : List.of();
  }

  public boolean hasM() {
    return type == Type.M;
  }

  public boolean hasL() {
    return type == Type.L;
  }

  public boolean hasSs() {
    return type == Type.SS;
  }

  public boolean hasNs() {
    return type == Type.NS;
  }

  /** The raw value: String (S, N; base64 text for B), Boolean, Map, List (the wire form's Java shape). */
  Object raw() {
    return value;
  }

  static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AttributeValue other) || other.type != type) {
      return false;
    }
    if (type == Type.B) {
      return Arrays.equals((byte[]) value, (byte[]) other.value);
    }
    if (type == Type.BS) {
      List<?> a = (List<?>) value;
      List<?> b = (List<?>) other.value;
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!Arrays.equals((byte[]) a.get(i), (byte[]) b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return type == Type.B ? Arrays.hashCode((byte[]) value) : type == Type.BS ? type.hashCode() : value.hashCode();
  }

  @Override
  public String toString() {
    return "AttributeValue[" + type + "]";
  }
}
