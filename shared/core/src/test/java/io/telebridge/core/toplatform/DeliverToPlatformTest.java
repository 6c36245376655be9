package io.telebridge.core.toplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeliverToPlatformTest {

  private static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] BODY = "{\"eventId\":\"evt-9\",\"type\":\"ehr.result.available\"}".getBytes(StandardCharsets.UTF_8);

  private final ScriptedPlatformEndpoint platform = new ScriptedPlatformEndpoint();
  private final InMemoryDeadLetters dlq = new InMemoryDeadLetters();
  private Supplier<SigningSecrets> secrets = () -> SigningSecrets.of("platform-secret");

  private DeliverToPlatform useCase() {
    return new DeliverToPlatform(platform, () -> secrets.get(), dlq, new RetryDelays(RetryDelays.DEFAULT_MAX, CLOCK, () -> 0.0),
        CLOCK);
  }

  private static PlatformDelivery delivery(int receiveCount) {
    return new PlatformDelivery("msg-1", "evt-9", "ehr.result.available", "acme", "acme:pat-1", receiveCount, BODY);
  }

  @Test
  void postsTheBodyAsItIsSignedWithTheSecretAndKeyedByTheEventId() {
    DeliveryOutcome outcome = useCase().deliver(delivery(1));

    assertEquals(new DeliveryOutcome.Delivered(200), outcome);
    var sent = platform.requests.getFirst();
    assertEquals(new String(BODY, StandardCharsets.UTF_8), new String(sent.body(), StandardCharsets.UTF_8));
    assertEquals("evt-9", sent.headers().get("Idempotency-Key"));
    assertEquals("ehr.result.available", sent.headers().get("X-Telebridge-Event-Type"));
    assertEquals(Long.toString(NOW.getEpochSecond()), sent.headers().get("X-Telebridge-Timestamp"));
    assertNull(new WebhookSignature(CLOCK).verify(sent.headers().get("X-Telebridge-Timestamp"),
        sent.headers().get("X-Telebridge-Signature"), BODY, SigningSecrets.of("platform-secret")),
        "the platform verifies it as it would one of its own webhooks");
    assertEquals(WebhookSignature.Failure.MISMATCH, new WebhookSignature(CLOCK).verify(
        sent.headers().get("X-Telebridge-Timestamp"), sent.headers().get("X-Telebridge-Signature"), BODY,
        SigningSecrets.of("another-secret")));
    assertTrue(dlq.letters.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void every2xxIsDelivered(int status) {
    platform.answer(PlatformEndpoint.Response.of(status));
    assertEquals(new DeliveryOutcome.Delivered(status), useCase().deliver(delivery(1)));
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504, 599})
  void timeoutsThrottlingAndServerErrorsAreRetriedNotDeadLettered(int status) {
    platform.answer(PlatformEndpoint.Response.of(status));
    DeliveryOutcome outcome = useCase().deliver(delivery(1));
    DeliveryOutcome.RetryLater retry = assertInstanceOf(DeliveryOutcome.RetryLater.class, outcome);
    assertEquals(status, retry.status());
    assertTrue(dlq.letters.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 410, 413, 422, 301, 302, 100})
  void otherStatusesGoToTheDeadLetterQueueAtOnceWithTheStatusAndNoBody(int status) {
    platform.answer(PlatformEndpoint.Response.of(status));
    DeliveryOutcome outcome = useCase().deliver(delivery(3));

    DeliveryOutcome.DeadLettered dead = assertInstanceOf(DeliveryOutcome.DeadLettered.class, outcome);
    assertEquals(status, dead.status());
    assertEquals(1, platform.requests.size(), "one attempt, no retry");
    var letter = dlq.letters.getFirst();
    assertEquals(Integer.toString(status), letter.attributes().get("status"));
    assertEquals("platform-delivery", letter.attributes().get("failedStage"));
    assertEquals("evt-9", letter.attributes().get("eventId"));
    assertEquals("ehr.result.available", letter.attributes().get("eventType"));
    assertEquals("acme", letter.attributes().get("tenant"));
    assertEquals("msg-1", letter.attributes().get("sourceMessageId"));
    assertTrue(letter.attributes().get("reason").contains(Integer.toString(status)));
    assertFalse(letter.attributes().values().stream().anyMatch(v -> v.contains("eventId\":")), "no body echo");
  }

  @Test
  void anUnreachablePlatformIsRetriedWithBackoff() {
    platform.unreachable();
    DeliveryOutcome.RetryLater retry = assertInstanceOf(DeliveryOutcome.RetryLater.class, useCase().deliver(delivery(3)));
    assertEquals(0, retry.status());
    assertEquals(Duration.ofSeconds(4), retry.delay(), "2^3 s with the lowest jitter: half of it");
    assertTrue(retry.reason().contains("ConnectException"));
  }

  @Test
  void honoursRetryAfterInSeconds() {
    platform.answer(new PlatformEndpoint.Response(429, Optional.of("7")));
    DeliveryOutcome.RetryLater retry = assertInstanceOf(DeliveryOutcome.RetryLater.class, useCase().deliver(delivery(5)));
    assertEquals(Duration.ofSeconds(7), retry.delay());
  }

  @Test
  void honoursRetryAfterAsAnHttpDate() {
    platform.answer(new PlatformEndpoint.Response(503, Optional.of("Wed, 25 Nov 2026 17:02:00 GMT")));
    DeliveryOutcome.RetryLater retry = assertInstanceOf(DeliveryOutcome.RetryLater.class, useCase().deliver(delivery(1)));
    assertEquals(Duration.ofSeconds(120), retry.delay());
  }

  @Test
  void capsARetryAfterBeyondTheMaximum() {
    platform.answer(new PlatformEndpoint.Response(503, Optional.of("86400")));
    DeliveryOutcome.RetryLater retry = assertInstanceOf(DeliveryOutcome.RetryLater.class, useCase().deliver(delivery(1)));
    assertEquals(RetryDelays.DEFAULT_MAX, retry.delay());
  }

  @Test
  void aMalformedRetryAfterFallsBackToBackoff() {
    platform.answer(new PlatformEndpoint.Response(503, Optional.of("soon")));
    DeliveryOutcome.RetryLater retry = assertInstanceOf(DeliveryOutcome.RetryLater.class, useCase().deliver(delivery(2)));
    assertEquals(Duration.ofSeconds(2), retry.delay());
  }

  @Test
  void aMessageWithoutAnEventIdIsDeadLetteredWithoutBeingSent() {
    PlatformDelivery noId = new PlatformDelivery("msg-2", null, "ehr.result.available", "acme", "g", 1, BODY);
    DeliveryOutcome.DeadLettered dead = assertInstanceOf(DeliveryOutcome.DeadLettered.class, useCase().deliver(noId));
    assertEquals(0, dead.status());
    assertTrue(platform.requests.isEmpty());
    assertFalse(dlq.letters.getFirst().attributes().containsKey("status"));
  }

  @Test
  void aDeadLetterQueueOutageMeansRetryNotLoss() {
    platform.answer(PlatformEndpoint.Response.of(400));
    dlq.down = true;
    DeliveryOutcome.RetryLater retry = assertInstanceOf(DeliveryOutcome.RetryLater.class, useCase().deliver(delivery(1)));
    assertEquals(400, retry.status());
  }

  @Test
  void anUnavailableSecretMeansRetryAndNothingIsSent() {
    secrets = () -> {
      throw new TransientException("secret unavailable", null);
    };
    assertInstanceOf(DeliveryOutcome.RetryLater.class, useCase().deliver(delivery(1)));
    assertTrue(platform.requests.isEmpty());
  }

  @Test
  void theRedactedToStringHoldsNoBody() {
    assertFalse(delivery(1).toString().contains("ehr.result.available\"}"));
    assertTrue(delivery(1).toString().contains("evt-9"));
  }
}
