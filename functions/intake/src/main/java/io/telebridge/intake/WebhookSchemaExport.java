package io.telebridge.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Build step, not runtime code (the shade config leaves it out of intake.jar): writes the JSON Schemas the
 * intake validates with, {@code #/components/schemas/WebhookEvent} and every schema it references, from
 * {@code api/openapi.yaml} (the one source) to a JSON resource, so the function parses 1/10 of the
 * document as JSON at init instead of the whole YAML description, and ships no YAML parser. The output
 * keeps the document's layout ({@code components/schemas/<name>}) and every schema byte-for-byte as a
 * tree, so the local {@code $ref}s and the validator's error locations are those of the description.
 *
 * <pre>java -cp ... io.telebridge.intake.WebhookSchemaExport api/openapi.yaml target/classes/api/webhook-event.schema.json</pre>
 *
 * Run by the intake's pom at {@code process-classes} (exec-maven-plugin): the resource is always
 * generated from the description of the same build, nothing generated is checked in.
 */
public final class WebhookSchemaExport {

  static final String ROOT = "WebhookEvent";
  private static final String PREFIX = "#/components/schemas/";

  private WebhookSchemaExport() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: WebhookSchemaExport <openapi.yaml> <out.json>");
    }
    JsonNode document = YAMLMapper.builder().build().readTree(Files.readString(Path.of(args[0])));
    ObjectNode out = export(document);
    Path target = Path.of(args[1]);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, JsonMapper.builder().build().writeValueAsString(out) + "\n");
  }

  /** {@code {"components":{"schemas":{...}}}} with WebhookEvent and the schemas it reaches through {@code $ref}. */
  static ObjectNode export(JsonNode document) {
    JsonNode schemas = document.path("components").path("schemas");
    Set<String> reached = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(ROOT);
    while (!todo.isEmpty()) {
      String name = todo.removeFirst();
      if (!reached.add(name)) {
        continue;
      }
      JsonNode schema = schemas.get(name);
      if (schema == null) {
        throw new IllegalStateException("api/openapi.yaml has no schema " + name);
      }
      refs(schema, todo);
    }
    ObjectNode out = JsonMapper.builder().build().createObjectNode();
    ObjectNode kept = out.putObject("components").putObject("schemas");
    for (Map.Entry<String, JsonNode> e : schemas.properties()) { // the description's order
      if (reached.contains(e.getKey())) {
        kept.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static void refs(JsonNode node, Deque<String> todo) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getKey().equals("$ref") && e.getValue().isString()) {
          String ref = e.getValue().asString();
          if (!ref.startsWith(PREFIX) || ref.indexOf('/', PREFIX.length()) >= 0) {
            throw new IllegalStateException("a $ref outside #/components/schemas/<name>: " + ref);
          }
          todo.add(ref.substring(PREFIX.length()));
        } else {
          refs(e.getValue(), todo);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> refs(n, todo));
    }
  }
}
