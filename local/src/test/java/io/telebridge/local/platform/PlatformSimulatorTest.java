package io.telebridge.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.webhook.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator over real HTTP on loopback. */
class PlatformSimulatorTest {

  private static final String SECRET = "sim-secret";
  private final HttpClient http = HttpClient.newHttpClient();
  private PlatformSimulator sim;

  @BeforeEach
  void start() throws Exception {
    sim = PlatformSimulator.start("127.0.0.1", 0, SECRET, null, null);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<String> deliver(String eventId, String secret) throws Exception {
    byte[] body = ("{\"eventId\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8);
    long ts = WebhookSignature.timestampNow(Clock.systemUTC());
    return http.send(HttpRequest.newBuilder(sim.eventsUrl()).header("Content-Type", "application/json")
        .header("Idempotency-Key", eventId)
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, ts, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> control(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void acceptsASignedDeliveryAndRecordsItExactly() throws Exception {
    assertEquals(200, deliver("evt-1", SECRET).statusCode());
    PlatformSimulator.Delivery d = sim.received().getFirst();
    assertTrue(d.verified());
    assertEquals("evt-1", d.idempotencyKey());
    assertEquals("{\"eventId\":\"evt-1\"}", d.bodyText());
  }

  @Test
  void refusesAWrongSignatureWith401() throws Exception {
    assertEquals(401, deliver("evt-2", "another").statusCode());
    assertFalse(sim.received().getFirst().verified());
    assertEquals("MISMATCH", sim.received().getFirst().signatureProblem());
  }

  @Test
  void answersWhatTheRulesSayForAsManyTimesThenOk() throws Exception {
    assertEquals(201, control("POST", "/rules?status=429&times=2&retryAfter=7").statusCode());
    HttpResponse<String> first = deliver("evt-3", SECRET);
    assertEquals(429, first.statusCode());
    assertEquals(Optional.of("7"), first.headers().firstValue("Retry-After"));
    assertEquals(429, deliver("evt-3", SECRET).statusCode());
    assertEquals(200, deliver("evt-3", SECRET).statusCode());
    assertEquals(List.of(429, 429, 200), sim.received().stream().map(PlatformSimulator.Delivery::status).toList());
  }

  @Test
  void aRuleForOneEventLeavesOthersAlone() throws Exception {
    control("POST", "/rules?status=500&eventId=evt-x");
    assertEquals(200, deliver("evt-y", SECRET).statusCode());
    assertEquals(500, deliver("evt-x", SECRET).statusCode());
    assertEquals(500, deliver("evt-x", SECRET).statusCode(), "no times: until cleared");
    control("DELETE", "/rules");
    assertEquals(200, deliver("evt-x", SECRET).statusCode());
  }

  @Test
  void marksARepeatOfAnAcceptedKeyAsDuplicate() throws Exception {
    deliver("evt-4", SECRET);
    deliver("evt-4", SECRET);
    assertEquals(List.of(false, true), sim.received().stream().map(PlatformSimulator.Delivery::duplicate).toList());
  }

  @Test
  void listsDeliveriesAsJsonAndForgetsThemOnDelete() throws Exception {
    deliver("evt-5", SECRET);
    String json = control("GET", "/deliveries").body();
    assertTrue(json.contains("\"idempotencyKey\" : \"evt-5\""), json);
    assertTrue(json.contains("\"body\" : {"), "the body as JSON: " + json);
    control("DELETE", "/deliveries");
    assertTrue(sim.received().isEmpty());
  }

  @Test
  void refusesRulesItCannotFollow() {
    assertThrows(IllegalArgumentException.class, () -> SimulatorHttp.parseRule(Map.of()));
    assertThrows(IllegalArgumentException.class, () -> SimulatorHttp.parseRule(Map.of("status", "99")));
    assertThrows(IllegalArgumentException.class, () -> SimulatorHttp.parseRule(Map.of("status", "abc")));
  }
}
