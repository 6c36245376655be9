package io.telebridge.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.aws.lambda.LambdaJson;
import io.telebridge.core.intake.AcceptWebhook;
import io.telebridge.core.intake.IdempotencyStore;
import io.telebridge.core.intake.IntakeSettings;
import io.telebridge.core.intake.InvalidEventException;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.ValidatedEvent;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.TenantSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP mapping of the handler; the use case itself is tested in shared/core. */
class IntakeHandlerTest {

  private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final List<String> enqueued = new ArrayList<>();
  private final List<String> claimed = new ArrayList<>();

  private IntakeHandler handler(boolean queueDown) {
    IdempotencyStore store = new IdempotencyStore() {
      @Override
      public Claim claim(String key, String bodyHash, Instant now) {
        claimed.add(key);
        return new Claim.Claimed("t");
      }

      @Override
      public void complete(String key, String token, String messageId, Instant now) {}

      @Override
      public void release(String key, String token) {}
    };
    return new IntakeHandler(new AcceptWebhook(
        body -> {
          if (new String(body, StandardCharsets.UTF_8).contains("bad")) {
            throw new InvalidEventException("2 field(s) break the event schema", List.of(
                new InvalidField("/patient/birthDate", "must be a valid date"),
                new InvalidField("/data/appointment/start", "is required")));
          }
          return new ValidatedEvent("evt-1", "appointment.booked", "acme", "pat-1", NOW);
        },
        store,
        event -> {
          if (queueDown) {
            throw new io.telebridge.core.error.TransientException("down", null);
          }
          enqueued.add(event.eventId());
          return "m-1";
        },
        () -> TenantSecrets.of("acme", SigningSecrets.of("s")),
        Clock.fixed(NOW, ZoneOffset.UTC),
        IntakeSettings.defaults()));
  }

  private static HttpApiRequest request(String body, boolean base64) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long ts = NOW.getEpochSecond();
    HttpApiRequest r = HttpApiRequest.of("POST", "/v1/webhooks", Map.of(
            "content-type", "application/json",
            "x-telebridge-timestamp", Long.toString(ts),
            "x-telebridge-signature", WebhookSignature.sign("s", ts, bytes)), body);
    return base64 ? r.withBase64Body(Base64.getEncoder().encodeToString(bytes)) : r;
  }

  private static byte[] invoke(IntakeHandler handler, byte[] event) {
    try {
      return LambdaJson.invoke(handler, event, null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anEventThatIsNotJsonIsAnswered400ProblemJsonAndNothingIsAccepted() {
    byte[] answer = invoke(handler(false), "{\"headers\":".getBytes(StandardCharsets.UTF_8));
    HttpApiResponse response = LambdaJson.httpResponse(answer);
    assertEquals(400, response.statusCode());
    assertEquals("application/problem+json", response.headers().get("Content-Type"));
    assertTrue(response.body().contains("urn:telebridge:problem:bad-request"), response.body());
  }

  @Test
  void primingRunsTheHandlerButClaimsAndQueuesNothing() {
    List<String> secretReads = new ArrayList<>();
    IntakeHandler handler = new IntakeHandler(new AcceptWebhook(
        body -> new ValidatedEvent("evt-1", "appointment.booked", "acme", "pat-1", NOW),
        new IdempotencyStore() {
          @Override
          public Claim claim(String key, String bodyHash, Instant now) {
            claimed.add(key);
            return new Claim.Claimed("t");
          }

          @Override
          public void complete(String key, String token, String messageId, Instant now) {
            claimed.add("complete " + key);
          }

          @Override
          public void release(String key, String token) {}
        },
        event -> {
          enqueued.add(event.eventId());
          return "m-1";
        },
        () -> {
          secretReads.add("read");
          return TenantSecrets.of("acme", SigningSecrets.of("s"));
        },
        Clock.systemUTC(),
        IntakeSettings.defaults()), io.telebridge.core.journal.Journal.NONE);
    io.telebridge.aws.Priming priming = io.telebridge.aws.Priming.of("intake").step("refused request", handler::prime).build();

    assertEquals(1, priming.prime());

    assertEquals(List.of("read"), secretReads); // the path ran as far as the signature check
    assertEquals(List.of(), claimed);
    assertEquals(List.of(), enqueued);
  }

  @Test
  void answers202WithTheEventIdAsJson() {
    HttpApiResponse response = LambdaJson.invoke(handler(false), request("{}", false));
    assertEquals(202, response.statusCode());
    assertEquals("application/json", response.headers().get("Content-Type"));
    JsonNode body = JSON.readTree(response.body());
    assertEquals("evt-1", body.get("eventId").asString());
    assertEquals("accepted", body.get("status").asString());
    assertEquals(List.of("evt-1"), enqueued);
  }

  @Test
  void verifiesTheSignatureOverTheDecodedBytesOfABase64Body() {
    HttpApiResponse response = LambdaJson.invoke(handler(false), request("{\"x\":\"é\"}", true));
    assertEquals(202, response.statusCode());
  }

  @Test
  void answersProblemJsonNamingEveryBadField() {
    HttpApiResponse response = LambdaJson.invoke(handler(false), request("bad", false));
    assertEquals(400, response.statusCode());
    assertEquals("application/problem+json", response.headers().get("Content-Type"));
    JsonNode body = JSON.readTree(response.body());
    assertEquals(400, body.get("status").asInt());
    assertEquals("urn:telebridge:problem:invalid-event", body.get("type").asString());
    assertEquals("/patient/birthDate", body.get("errors").get(0).get("pointer").asString());
    assertEquals("/data/appointment/start", body.get("errors").get(1).get("pointer").asString());
    assertTrue(enqueued.isEmpty());
  }

  @Test
  void answers503WithRetryAfterWhenTheQueueIsDown() {
    HttpApiResponse response = LambdaJson.invoke(handler(true), request("{}", false));
    assertEquals(503, response.statusCode());
    assertEquals("5", response.headers().get("Retry-After"));
  }

  @Test
  void answers401WithAChallengeWhenTheSignatureHeaderIsMissing() {
    HttpApiRequest unsigned = HttpApiRequest.of("POST", "/v1/webhooks",
        Map.of("content-type", "application/json", "x-telebridge-timestamp", Long.toString(NOW.getEpochSecond())), "{}");
    HttpApiResponse response = LambdaJson.invoke(handler(false), unsigned);
    assertEquals(401, response.statusCode());
    assertTrue(response.headers().containsKey("WWW-Authenticate"));
  }
}
