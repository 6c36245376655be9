package io.telebridge.local.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

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
  private final DeliveryLog log;
  private final List<Delivery> received = new CopyOnWriteArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private final Set<String> acceptedKeys = new HashSet<>();
  private final AtomicLong sequence = new AtomicLong();

  private PlatformSimulator(HttpServer server, String host, String secret, Clock clock, PrintStream console,
      DeliveryLog log) {
    this.server = server;
    this.host = host;
    this.secrets = SigningSecrets.of(secret);
    this.signature = new WebhookSignature(clock);
    this.clock = clock;
    this.console = console;
    this.log = log;
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
    DeliveryLog log = DeliveryLog.in(recordDir);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 64);
    PlatformSimulator sim = new PlatformSimulator(server, host, secret, Clock.systemUTC(), console, log);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", new SimulatorHttp(sim));
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

  /** A delivery: verified, answered as the rules say, recorded. */
  void deliver(HttpExchange exchange, String path) throws IOException {
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
    log.append(d);
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
    SimulatorHttp.send(exchange, status, "application/json", answer);
  }

  @Override
  public void close() {
    server.stop(0);
    log.close();
  }
}
