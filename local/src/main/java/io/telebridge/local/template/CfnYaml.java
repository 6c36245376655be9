package io.telebridge.local.template;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a CloudFormation / SAM YAML document into plain Java values ({@link LinkedHashMap},
 * {@link ArrayList}, {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@code null}),
 * turning every short-form intrinsic tag into its long form, exactly as CloudFormation does:
 *
 * <pre>
 *   !Ref X                  -> {"Ref": "X"}
 *   !Condition C            -> {"Condition": "C"}
 *   !GetAtt A.B.C           -> {"Fn::GetAtt": ["A", "B.C"]}
 *   !GetAtt [A, B]          -> {"Fn::GetAtt": ["A", "B"]}
 *   !Sub / !If / !Join ...  -> {"Fn::Sub": ...} / {"Fn::If": ...} / {"Fn::Join": ...}
 * </pre>
 *
 * Works on the composed node graph (not a constructor) so the tag of every node is seen,
 * whatever its kind (scalar, sequence or mapping). Anchors and aliases are honoured.
 */
public final class CfnYaml {

  private CfnYaml() {}

  public static Object read(Path file) throws IOException {
    return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  public static Object read(String yaml) {
    return read(yaml, "template");
  }

  static Object read(String yaml, String label) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(label)
        .setSchema(new CoreSchema())
        .setAllowDuplicateKeys(false)
        .build();
    try (Reader reader = new StringReader(yaml)) {
      Optional<Node> root = new Compose(settings).composeReader(reader);
      return root.map(CfnYaml::convert).orElse(null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(Node node) {
    String tag = node.getTag().getValue();
    if (tag.startsWith("!") && !tag.startsWith("!!")) {
      return intrinsic(tag.substring(1), node);
    }
    return plain(node);
  }

  private static Object plain(Node node) {
    return switch (node) {
      case ScalarNode scalar -> scalar(scalar);
      case SequenceNode seq -> {
        List<Object> list = new ArrayList<>(seq.getValue().size());
        for (Node item : seq.getValue()) {
          list.add(convert(item));
        }
        yield list;
      }
      case MappingNode map -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
          Object key = convert(tuple.getKeyNode());
          out.put(String.valueOf(key), convert(tuple.getValueNode()));
        }
        yield out;
      }
      default -> throw new IllegalArgumentException("unsupported YAML node " + node.getNodeType());
    };
  }

  private static Object scalar(ScalarNode node) {
    Tag tag = node.getTag();
    String value = node.getValue();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return Boolean.valueOf(value.toLowerCase(java.util.Locale.ROOT));
    }
    if (Tag.INT.equals(tag)) {
      return parseInt(value);
    }
    if (Tag.FLOAT.equals(tag)) {
      try {
        return Double.valueOf(value);
      } catch (NumberFormatException e) {
        return value; // .inf, .nan: keep the text
      }
    }
    return value;
  }

  private static Object parseInt(String value) {
    String v = value.replace("_", "");
    int radix = 10;
    boolean negative = v.startsWith("-");
    if (v.startsWith("+") || v.startsWith("-")) {
      v = v.substring(1);
    }
    if (v.startsWith("0x")) {
      radix = 16;
      v = v.substring(2);
    } else if (v.startsWith("0o")) {
      radix = 8;
      v = v.substring(2);
    }
    BigInteger n = new BigInteger(v, radix);
    if (negative) {
      n = n.negate();
    }
    return n.bitLength() < 64 ? (Object) n.longValue() : n;
  }

  private static Map<String, Object> intrinsic(String name, Node node) {
    Object value = plain(node);
    Map<String, Object> out = new LinkedHashMap<>();
    switch (name) {
      case "Ref" -> out.put("Ref", value);
      case "Condition" -> out.put("Condition", value);
      case "GetAtt" -> {
        if (value instanceof String s) {
          int dot = s.indexOf('.');
          if (dot <= 0) {
            throw new IllegalArgumentException("!GetAtt needs LogicalId.Attribute, got '" + s + "'");
          }
          out.put("Fn::GetAtt", new ArrayList<>(List.of(s.substring(0, dot), s.substring(dot + 1))));
        } else {
          out.put("Fn::GetAtt", value);
        }
      }
      default -> out.put("Fn::" + name, value);
    }
    return out;
  }
}
