package io.telebridge.local.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The telehealth platform's end of the return path, for the local stack: an HTTP receiver that
 * verifies each delivery's signature (the same scheme as the platform's own webhooks), records it,
 * and answers 200, or what it was told to answer.
 *
 * <pre>
 *   POST   /ehr-events (any path but the ones below)   a delivery: verified, recorded, answered
 *   GET    /deliveries       what was received, as JSON (headers, body, the answer given)
 *   DELETE /deliveries       forget them
 *   GET    /rules            the rules in force
 *   POST   /rules?status=503[&amp;times=N][&amp;retryAfter=S][&amp;eventId=ID][&amp;delayMs=MS]
 *   DELETE /rules            back to 200 for everything
 *   POST   /reset            no rules, nothing received
 * </pre>
 *
 * A delivery whose signature does not verify is answered 401 (and recorded with the reason). A
 * repeat of an Idempotency-Key already answered 2xx is answered 200 again and recorded as a
 * duplicate, as a platform that deduplicates would.
 */
public final class PlatformSimulator implements AutoCloseable {

  /** The path the local stack gives as {@code PLATFORM_ENDPOINT_URL}. */
  public static final String EVENTS_PATH = "/ehr-events";

  static final String HELP = """
      Platform simulator (receives telebridge's EHR events)
        POST   /ehr-events                   a delivery (signature verified; answered 200 unless a rule says otherwise)
        GET    /deliveries                   what was received, JSON: headers, body, answer
        DELETE /deliveries                   forget them
        GET    /rules                        rules in force (none: 200 to everything)
        POST   /rules?status=503&times=1     the next delivery gets 503; also 500, 429, 400, any 2xx-5xx
               optional: &times=N (default: until DELETE /rules) &retryAfter=SECONDS &eventId=ID &delayMs=MS
        DELETE /rules                        back to 200 for everything
        POST   /reset                        no rules, nothing received
      """;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One request received. {@code body} is the exact bytes (synthetic data only). */
  public record Delivery(long sequence, Instant receivedAt, String path, Map<String, String> headers, byte[] body,
      int status, boolean verified, String signatureProblem, boolean duplicate) {

    public String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    public String idempotencyKey() {
      return header("Idempotency-Key");
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public boolean accepted() {
      return status >= 200 && status <= 299;
    }

    @Override
    public String toString() {
      return "Delivery[" + sequence + " " + idempotencyKey() + " -> " + status + (duplicate ? " duplicate" : "") + "]";
    }
  }

  /** An answer to give: {@code status} to the next {@code times} deliveries (of {@code eventId} when set). */
  public static final class Rule {
    final int status;
    final Integer retryAfterSeconds;
    final String eventId;
    final Duration delay;
    int usesLeft; // -1: unlimited

    public Rule(int status, int times, Integer retryAfterSeconds, String eventId, Duration delay) {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("status must be 200..599");
      }
      this.status = status;
      this.usesLeft = times;
      this.retryAfterSeconds = retryAfterSeconds;
      this.eventId = eventId;
      this.delay = delay == null ? Duration.ZERO : delay;
    }

    /** {@code status} for the next {@code times} deliveries. */
    public static Rule answer(int status, int times) {
      return new Rule(status, times, null, null, null);
    }

    public Rule retryAfter(int seconds) {
      return new Rule(status, usesLeft, seconds, eventId, delay);
    }

    public Rule forEvent(String id) {
      return new Rule(status, usesLeft, retryAfterSeconds, id, delay);
    }

    boolean matches(String idempotencyKey) {
      return usesLeft != 0 && (eventId == null || eventId.equals(idempotencyKey));
    }

    String describe() {
      return "answer " + status + (retryAfterSeconds == null ? "" : " Retry-After: " + retryAfterSeconds)
          + (eventId == null ? "" : " for eventId " + eventId)
          + (delay.isZero() ? "" : " after " + delay.toMillis() + " ms")
          + (usesLeft < 0 ? " (until cleared)" : " (" + usesLeft + " more)");
    }
  }

  private final HttpServer server;
  private final String host;
  private final SigningSecrets secrets;
  private final WebhookSignature signature;
  private final Clock clock;
  private final PrintStream console;
  private final Writer record;
  private final List<Delivery> received = new CopyOnWriteArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private final Set<String> acceptedKeys = new HashSet<>();
  private final AtomicLong sequence = new AtomicLong();

  private PlatformSimulator(HttpServer server, String host, String secret, Clock clock, PrintStream console,
      Writer record) {
    this.server = server;
    this.host = host;
    this.secrets = SigningSecrets.of(secret);
    this.signature = new WebhookSignature(clock);
    this.clock = clock;
    this.console = console;
    this.record = record;
  }

  /**
   * Starts listening.
   *
   * @param port 0 picks a free one
   * @param secret the signing secret deliveries must be signed with
   * @param recordDir where {@code deliveries.jsonl} is appended (null: nowhere)
   * @param console where one line per delivery is printed (null: nowhere)
   */
  public static PlatformSimulator start(String host, int port, String secret, Path recordDir, PrintStream console)
      throws IOException {
    Writer record = null;
    if (recordDir != null) {
      Files.createDirectories(recordDir);
      record = Files.newBufferedWriter(recordDir.resolve("deliveries.jsonl"), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 64);
    PlatformSimulator sim = new PlatformSimulator(server, host, secret, Clock.systemUTC(), console, record);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try {
        sim.handle(exchange);
      } catch (IllegalArgumentException e) {
        sim.send(exchange, 400, "text/plain; charset=utf-8", e.getMessage() + "\n\n" + HELP);
      } catch (RuntimeException e) {
        sim.send(exchange, 500, "text/plain; charset=utf-8", e.getClass().getSimpleName() + "\n");
      } finally {
        exchange.close();
      }
    });
    server.start();
    return sim;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:2580} (control paths hang off it). */
  public URI baseUrl() {
    return URI.create("http://" + host + ":" + port());
  }

  /** Where telebridge should POST: {@code <base>/ehr-events}. */
  public URI eventsUrl() {
    return baseUrl().resolve(EVENTS_PATH);
  }

  /** Every request received, in order. */
  public List<Delivery> received() {
    return List.copyOf(received);
  }

  public void clearReceived() {
    received.clear();
  }

  public synchronized void addRule(Rule rule) {
    rules.add(rule);
  }

  public synchronized void clearRules() {
    rules.clear();
  }

  public synchronized List<String> describeRules() {
    return rules.stream().filter(r -> r.usesLeft != 0).map(Rule::describe).toList();
  }

  public synchronized void reset() {
    rules.clear();
    received.clear();
    acceptedKeys.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
    switch (method + " " + path) {
      case "GET /", "GET /help" -> send(exchange, 200, "text/plain; charset=utf-8", HELP);
      case "GET /deliveries" -> send(exchange, 200, "application/json", JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(toJson(received())) + "\n");
      case "DELETE /deliveries" -> {
        clearReceived();
        send(exchange, 200, "text/plain; charset=utf-8", "cleared\n");
      }
      case "GET /rules" -> {
        List<String> in = describeRules();
        send(exchange, 200, "text/plain; charset=utf-8", in.isEmpty() ? "no rules: 200 to everything\n" : String.join("\n", in) + "\n");
      }
      case "POST /rules" -> {
        Rule rule = parseRule(q);
        addRule(rule);
        send(exchange, 201, "text/plain; charset=utf-8", "added: " + rule.describe() + "\n");
      }
      case "DELETE /rules" -> {
        clearRules();
        send(exchange, 200, "text/plain; charset=utf-8", "cleared: 200 to everything\n");
      }
      case "POST /reset" -> {
        reset();
        send(exchange, 200, "text/plain; charset=utf-8", "reset: 200 to everything, nothing received\n");
      }
      default -> {
        if (method.equals("POST")) {
          deliver(exchange, path);
        } else {
          send(exchange, 404, "text/plain; charset=utf-8", "unknown: " + method + " " + path + "\n\n" + HELP);
        }
      }
    }
  }

  private void deliver(HttpExchange exchange, String path) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
    WebhookSignature.Failure failure = signature.verify(headers.get(WebhookSignature.TIMESTAMP_HEADER),
        headers.get(WebhookSignature.SIGNATURE_HEADER), body, secrets);
    String key = headers.get("Idempotency-Key");
    int status;
    Integer retryAfter = null;
    Duration delay = Duration.ZERO;
    boolean duplicate = false;
    synchronized (this) {
      if (failure != null) {
        status = 401;
      } else {
        Rule rule = rules.stream().filter(r -> r.matches(key)).findFirst().orElse(null);
        if (rule != null) {
          if (rule.usesLeft > 0) {
            rule.usesLeft--;
          }
          status = rule.status;
          retryAfter = rule.retryAfterSeconds;
          delay = rule.delay;
        } else {
          status = 200;
        }
        if (status >= 200 && status <= 299 && key != null) {
          duplicate = !acceptedKeys.add(key);
        }
      }
    }
    Delivery d = new Delivery(sequence.incrementAndGet(), clock.instant(), path, Collections.unmodifiableMap(
        new LinkedHashMap<>(headers)), body, status, failure == null, failure == null ? null : failure.name(), duplicate);
    received.add(d);
    recordLine(d);
    if (console != null) {
      console.println("platform simulator <- " + key + " " + headers.getOrDefault("X-Telebridge-Event-Type", "?")
          + " -> " + status + (failure != null ? " (signature: " + failure.name() + ")" : "")
          + (duplicate ? " (duplicate Idempotency-Key)" : ""));
    }
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (retryAfter != null) {
      exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfter));
    }
    String answer = status >= 200 && status <= 299
        ? "{\"received\":true,\"duplicate\":" + duplicate + "}"
        : "{\"error\":\"" + (failure != null ? "invalid-signature" : "simulated-" + status) + "\"}";
    send(exchange, status, "application/json", answer);
  }

  private synchronized void recordLine(Delivery d) {
    if (record == null) {
      return;
    }
    try {
      record.write(JSON.writeValueAsString(toJson(d)));
      record.write('\n');
      record.flush();
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

  static Rule parseRule(Map<String, String> q) {
    String status = q.get("status");
    if (status == null) {
      throw new IllegalArgumentException("status= is required (e.g. 500, 503, 429, 400)");
    }
    try {
      int times = q.containsKey("times") ? Integer.parseInt(q.get("times")) : -1;
      if (times == 0 || times < -1) {
        throw new IllegalArgumentException("times must be positive");
      }
      Integer retryAfter = q.containsKey("retryAfter") ? Integer.valueOf(q.get("retryAfter")) : null;
      Duration delay = q.containsKey("delayMs") ? Duration.ofMillis(Long.parseLong(q.get("delayMs"))) : null;
      return new Rule(Integer.parseInt(status), times, retryAfter, q.get("eventId"), delay);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("status, times, retryAfter and delayMs are integers");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    synchronized (this) {
      if (record != null) {
        try {
          record.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
