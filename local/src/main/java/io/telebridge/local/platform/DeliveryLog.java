package io.telebridge.local.platform;

import io.telebridge.local.platform.PlatformSimulator.Delivery;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform simulator's deliveries as JSON: what {@code GET /deliveries} answers and what is appended to
 * {@code deliveries.jsonl} in the record directory (synthetic data only: bodies are kept whole).
 */
final class DeliveryLog implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();


  private final Writer out;

  private DeliveryLog(Writer out) {
    this.out = out;
  }

  /** A log appending to {@code deliveries.jsonl} in {@code dir}; null: one that writes nowhere. */
  static DeliveryLog in(Path dir) throws IOException {
    if (dir == null) {
      return new DeliveryLog(null);
    }
    Files.createDirectories(dir);
    return new DeliveryLog(Files.newBufferedWriter(dir.resolve("deliveries.jsonl"), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  /** Appends one delivery as a JSON line (a failure to write is ignored: the in-memory list is the truth). */
  synchronized void append(Delivery d) {
    if (out == null) {
      return;
    }
    try {
      out.write(JSON.writeValueAsString(toJson(d)));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // recording is a convenience; the in-memory list is the truth
    }
  }


  static ArrayNode toJson(List<Delivery> deliveries) {
    ArrayNode out = JSON.createArrayNode();
    deliveries.forEach(d -> out.add(toJson(d)));
    return out;
  }


  static ObjectNode toJson(Delivery d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("seq", d.sequence());
    n.put("receivedAt", d.receivedAt().toString());
    n.put("path", d.path());
    n.put("status", d.status());
    n.put("verified", d.verified());
    if (d.signatureProblem() != null) {
      n.put("signatureProblem", d.signatureProblem());
    }
    n.put("duplicate", d.duplicate());
    n.put("idempotencyKey", d.idempotencyKey());
    n.put("eventType", d.header("X-Telebridge-Event-Type"));
    ObjectNode headers = n.putObject("headers");
    d.headers().forEach(headers::put);
    try {
      JsonNode body = JSON.readTree(d.body());
      n.set("body", body);
    } catch (RuntimeException notJson) {
      n.put("body", d.bodyText());
    }
    return n;
  }


  /** The deliveries as pretty-printed JSON text. */
  static String text(List<Delivery> deliveries) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(deliveries));
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
