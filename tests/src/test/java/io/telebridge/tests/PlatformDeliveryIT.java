package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.platform.PlatformSimulator;
import io.telebridge.local.platform.PlatformSimulator.Delivery;
import io.telebridge.local.platform.PlatformSimulator.Rule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The last hop of the return path on the local stack: an event on the to-platform FIFO queue →
 * PlatformDeliveryFunction (triggered by the stack's SQS poller, as Lambda would) → the platform
 * simulator over real HTTP, signed, keyed by the event id; retried on 503 and 429 (honouring
 * Retry-After), dead-lettered on 400.
 */
class PlatformDeliveryIT {

  private static LocalStack stack;
  private static PlatformSimulator platform;
  private static String toPlatform;
  private static String toPlatformDlq;
  private static LogCapture logs;

  @BeforeAll
  static void start() throws IOException {
    logs = new LogCapture();
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")));
    platform = stack.platformSimulator();
    toPlatform = stack.queueUrl("ToPlatformQueue");
    toPlatformDlq = stack.queueUrl("ToPlatformDeadLetterQueue");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    logs.close();
  }

  /** A synthetic outbound event; the family name is a marker that must never reach a log. */
  private static String event(String eventId, String patientId) {
    return "{\"eventId\":\"" + eventId + "\",\"type\":\"ehr.result.available\",\"occurredAt\":\"2026-11-25T17:00:00Z\","
        + "\"tenant\":\"acme\",\"patient\":{\"platformPatientId\":\"" + patientId + "\",\"name\":{\"family\":\"Zyxwvutson\"}},"
        + "\"data\":{\"result\":{\"code\":\"2345-7\",\"value\":\"5.4\",\"unit\":\"mmol/L\"}}}";
  }

  private static void enqueue(String eventId, String patientId) {
    stack.sqs().sendMessage(b -> b.queueUrl(toPlatform).messageBody(event(eventId, patientId))
        .messageGroupId("acme:" + patientId).messageDeduplicationId(eventId)
        .messageAttributes(Map.of(
            "eventId", text(eventId),
            "eventType", text("ehr.result.available"),
            "tenant", text("acme"))));
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static List<Delivery> deliveriesOf(String eventId) {
    return platform.received().stream().filter(d -> eventId.equals(d.idempotencyKey())).toList();
  }

  /** Waits until the simulator's deliveries of this event satisfy the condition; returns them. */
  private static List<Delivery> awaitDeliveries(String eventId, Predicate<List<Delivery>> done, Duration within)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (!done.test(deliveriesOf(eventId)) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    return deliveriesOf(eventId);
  }

  /** Waits until the queue holds nothing, visible or in flight. */
  private static boolean awaitEmpty(String queueUrl, Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (Instant.now().isBefore(deadline)) {
      Map<QueueAttributeName, String> a = stack.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributes();
      if ("0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
          && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  @Test
  void theLocalStackPointsTheFunctionAtTheSimulator() {
    assertNotNull(platform, "the template has PlatformEndpointUrl: the simulator runs");
    assertEquals(platform.eventsUrl().toString(), stack.functionEnvironment("PlatformDeliveryFunction").get("PLATFORM_ENDPOINT_URL"));
  }

  @Test
  void anEventIsPostedAsItIsSignedWithThePlatformSecretAndKeyedByItsEventId() throws Exception {
    enqueue("evt-pd-1", "pat-pd-1");
    List<Delivery> got = awaitDeliveries("evt-pd-1", l -> !l.isEmpty(), Duration.ofSeconds(20));

    assertEquals(1, got.size());
    Delivery d = got.getFirst();
    assertEquals(200, d.status());
    assertEquals(event("evt-pd-1", "pat-pd-1"), d.bodyText(), "the body exactly as queued");
    assertEquals("application/json", d.header("Content-Type"));
    assertEquals("ehr.result.available", d.header("X-Telebridge-Event-Type"));
    assertNull(new WebhookSignature(Clock.systemUTC()).verify(d.header("X-Telebridge-Timestamp"),
        d.header("X-Telebridge-Signature"), d.body(), SigningSecrets.of(stack.options().platformSigningSecret())),
        "verifies with the platform secret, as the platform verifies its own webhooks");
    assertEquals(WebhookSignature.Failure.MISMATCH, new WebhookSignature(Clock.systemUTC()).verify(
        d.header("X-Telebridge-Timestamp"), d.header("X-Telebridge-Signature"), d.body(),
        SigningSecrets.of(stack.devSigningSecret())), "and not with the inbound webhook secret");
    assertTrue(awaitEmpty(toPlatform, Duration.ofSeconds(10)), "delivered: the message left the queue");
    assertFalse(logs.text().contains("Zyxwvutson"), "no body in any log line");
  }

  @Test
  void aPlatformAnswering503ThenOkGetsTheEventExactlyOnce() throws Exception {
    platform.addRule(Rule.answer(503, 1).forEvent("evt-pd-2"));
    enqueue("evt-pd-2", "pat-pd-2");

    List<Delivery> got = awaitDeliveries("evt-pd-2", l -> l.stream().anyMatch(Delivery::accepted), Duration.ofSeconds(30));
    assertTrue(awaitEmpty(toPlatform, Duration.ofSeconds(10)), "the message left the queue after the 200");
    got = deliveriesOf("evt-pd-2"); // after the message is gone nothing more can come
    assertEquals(List.of(503, 200), got.stream().map(Delivery::status).toList());
    assertEquals(1, got.stream().filter(Delivery::accepted).count(), "accepted exactly once");
    assertEquals(got.get(0).bodyText(), got.get(1).bodyText());
    assertTrue(Long.parseLong(got.get(1).header("X-Telebridge-Timestamp"))
        >= Long.parseLong(got.get(0).header("X-Telebridge-Timestamp")), "each attempt is signed afresh");
  }

  @Test
  void aRefusedEventGoesToTheDeadLetterQueueWithItsStatusAfterOneAttempt() throws Exception {
    platform.addRule(Rule.answer(400, 1).forEvent("evt-pd-3"));
    enqueue("evt-pd-3", "pat-pd-3");

    Message dead = null;
    Instant deadline = Instant.now().plusSeconds(20);
    while (dead == null && Instant.now().isBefore(deadline)) {
      for (Message m : stack.sqs().receiveMessage(b -> b.queueUrl(toPlatformDlq).waitTimeSeconds(1).maxNumberOfMessages(10)
          .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages()) {
        if (m.messageAttributes().containsKey("eventId") && m.messageAttributes().get("eventId").stringValue().equals("evt-pd-3")) {
          dead = m;
        }
      }
    }
    assertNotNull(dead, "on the to-platform DLQ");
    assertEquals("400", dead.messageAttributes().get("status").stringValue());
    assertEquals("platform-delivery", dead.messageAttributes().get("failedStage").stringValue());
    assertTrue(dead.messageAttributes().get("reason").stringValue().contains("400"));
    assertEquals(event("evt-pd-3", "pat-pd-3"), dead.body(), "kept as it was, for a redrive");
    assertEquals("acme:pat-pd-3", dead.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
    assertTrue(awaitEmpty(toPlatform, Duration.ofSeconds(10)), "and deleted from the to-platform queue");
    assertEquals(1, deliveriesOf("evt-pd-3").size(), "one attempt: a 400 is not retried");
  }

  @Test
  void aThrottledEventWaitsForRetryAfterBeforeItsNextAttempt() throws Exception {
    platform.addRule(Rule.answer(429, 1).retryAfter(4).forEvent("evt-pd-4"));
    enqueue("evt-pd-4", "pat-pd-4");

    List<Delivery> got = awaitDeliveries("evt-pd-4", l -> l.size() >= 2, Duration.ofSeconds(30));
    assertEquals(List.of(429, 200), got.stream().map(Delivery::status).toList());
    long gapMillis = Duration.between(got.get(0).receivedAt(), got.get(1).receivedAt()).toMillis();
    assertTrue(gapMillis >= 3500, "the message stayed invisible for its Retry-After (4 s; backoff alone would be 1-2 s); next attempt came after "
        + gapMillis + " ms");
    assertTrue(awaitEmpty(toPlatform, Duration.ofSeconds(10)));
  }

  @Test
  void theSimulatorRefusesAnUnsignedDeliveryAndListsWhatItGotAsJson() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(platform.eventsUrl())
        .header("Content-Type", "application/json").header("Idempotency-Key", "evt-pd-5")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, unsigned.statusCode());

    HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/deliveries")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, listed.statusCode());
    assertTrue(listed.body().contains("\"idempotencyKey\" : \"evt-pd-5\""), listed.body());
    assertTrue(listed.body().contains("\"signatureProblem\" : \"MISSING_TIMESTAMP\""), listed.body());
  }
}
