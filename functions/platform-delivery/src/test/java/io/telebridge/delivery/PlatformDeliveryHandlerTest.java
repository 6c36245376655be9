package io.telebridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.toplatform.DeliverToPlatform;
import io.telebridge.core.toplatform.PlatformEndpoint;
import io.telebridge.core.toplatform.RetryDelays;
import io.telebridge.core.webhook.SigningSecrets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformDeliveryHandlerTest {

  /** Answers by event id (default 200); records the event ids POSTed, in order. */
  private final Map<String, PlatformEndpoint.Response> answers = new LinkedHashMap<>();
  private final List<String> posted = new ArrayList<>();
  private final List<String> deadLettered = new ArrayList<>();
  private final Map<String, Duration> visibility = new LinkedHashMap<>();

  private PlatformDeliveryHandler handler() {
    PlatformEndpoint platform = (headers, body) -> {
      String id = headers.get("Idempotency-Key");
      posted.add(id);
      return answers.getOrDefault(id, PlatformEndpoint.Response.of(200));
    };
    DeliverToPlatform deliver = new DeliverToPlatform(platform, () -> SigningSecrets.of("s"),
        (delivery, attributes) -> deadLettered.add(delivery.eventId() + " status=" + attributes.get("status")),
        new RetryDelays(RetryDelays.DEFAULT_MAX, Clock.systemUTC(), () -> 0.0), Clock.systemUTC());
    return new PlatformDeliveryHandler(deliver, (m, reason, errorClass) -> deadLettered.add(m.messageId()),
        visibility::put, Duration.ofSeconds(15));
  }

  private static SqsMessage message(String eventId, int receiveCount) {
    return message(eventId, receiveCount, "acme:pat-1");
  }

  private static SqsMessage message(String eventId, int receiveCount, String group) {
    return SqsMessage.of("m-" + eventId, "{\"eventId\":\"" + eventId + "\"}",
            Map.of("ApproximateReceiveCount", Integer.toString(receiveCount), "MessageGroupId", group))
        .withReceiptHandle("rh-" + eventId)
        .withMessageAttribute("eventId", eventId);
  }

  private static SqsEvent batch(SqsMessage... messages) {
    return new SqsEvent(List.of(messages));
  }

  private static List<String> failed(SqsBatchResponse response) {
    return response.batchItemFailures();
  }

  @Test
  void deliversEveryRecordInOrderAndReportsNoFailures() {
    SqsBatchResponse response = handler().handle(batch(message("e1", 1), message("e2", 1)), null);
    assertEquals(List.of(), failed(response));
    assertEquals(List.of("e1", "e2"), posted);
    assertTrue(visibility.isEmpty());
  }

  @Test
  void aRetryableAnswerFailsThatRecordWithItsDelayAndHandsBackTheRestUnattempted() {
    answers.put("e2", new PlatformEndpoint.Response(429, Optional.of("30")));
    SqsBatchResponse response = handler().handle(batch(message("e1", 1), message("e2", 1), message("e3", 1)), null);

    assertEquals(List.of("m-e2", "m-e3"), failed(response));
    assertEquals(List.of("e1", "e2"), posted, "e3 is not attempted: it must not overtake e2");
    assertEquals(Map.of("rh-e2", Duration.ofSeconds(30), "rh-e3", Duration.ZERO), visibility);
  }

  @Test
  void aRetryForOnePatientLetsAnotherPatientsEventsThrough() {
    answers.put("e1", PlatformEndpoint.Response.of(503));
    SqsBatchResponse response = handler().handle(batch(message("e1", 1, "acme:pat-1"),
        message("e2", 1, "acme:pat-2"), message("e3", 1, "acme:pat-1")), null);
    assertEquals(List.of("m-e1", "m-e3"), failed(response));
    assertEquals(List.of("e1", "e2"), posted, "pat-2's event is delivered; pat-1's e3 waits behind e1");
    assertEquals(Duration.ZERO, visibility.get("rh-e3"));
  }

  @Test
  void throughLambdasStreamEntryTheBatchItemFailuresComeBackAsJson() throws Exception {
    answers.put("e1", PlatformEndpoint.Response.of(503));
    byte[] event = io.telebridge.aws.lambda.LambdaJson.bytes(batch(message("e1", 1, "acme:pat-1"),
        message("e2", 1, "acme:pat-2"), message("e3", 1, "acme:pat-1")));
    byte[] answer = io.telebridge.aws.lambda.LambdaJson.invoke(handler(), event, null);
    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-e1\"},{\"itemIdentifier\":\"m-e3\"}]}",
        new String(answer, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of("e1", "e2"), posted, "the eventId message attribute and the group came through the bytes");
    assertEquals(Duration.ZERO, visibility.get("rh-e3"), "and the receipt handle");
  }

  @Test
  void anEventThatIsNotJsonFailsTheInvocationSoTheWholeBatchReturns() {
    assertThrows(io.telebridge.aws.lambda.LambdaJson.BadEvent.class, () -> io.telebridge.aws.lambda.LambdaJson.invoke(
        handler(), "{\"Records\":[{\"messageId\":".getBytes(java.nio.charset.StandardCharsets.UTF_8), null));
    assertTrue(posted.isEmpty());
  }

  @Test
  void withoutRetryAfterTheDelayGrowsWithTheReceiveCount() {
    answers.put("e1", PlatformEndpoint.Response.of(503));
    handler().handle(batch(message("e1", 4)), null);
    assertEquals(Duration.ofSeconds(8), visibility.get("rh-e1"), "2^4 s, lowest jitter");
  }

  @Test
  void aRefusedEventIsDeadLetteredAndCountsAsDoneSoTheBatchGoesOn() {
    answers.put("e1", PlatformEndpoint.Response.of(400));
    SqsBatchResponse response = handler().handle(batch(message("e1", 1), message("e2", 1)), null);
    assertEquals(List.of(), failed(response));
    assertEquals(List.of("e1 status=400"), deadLettered);
    assertEquals(List.of("e1", "e2"), posted);
  }

  @Test
  void doesNotStartARecordWithoutTimeForOneAttempt() {
    SqsBatchResponse response = handler().handle(batch(message("e1", 1), message("e2", 1)), new FixedTimeContext(5_000));
    assertEquals(List.of("m-e1", "m-e2"), failed(response));
    assertTrue(posted.isEmpty());
    assertEquals(Map.of("rh-e1", Duration.ZERO, "rh-e2", Duration.ZERO), visibility);
  }

  @Test
  void readsTheRoutingFactsFromTheAttributes() {
    var d = PlatformDeliveryHandler.delivery(message("e7", 3));
    assertEquals("e7", d.eventId());
    assertEquals(3, d.receiveCount());
    assertEquals("acme:pat-1", d.groupId());
    assertEquals("m-e7", d.messageId());
  }

  private record FixedTimeContext(int remainingMillis) implements Context {
    @Override public String getAwsRequestId() { return "req"; }
    @Override public String getLogGroupName() { return "lg"; }
    @Override public String getLogStreamName() { return "ls"; }
    @Override public String getFunctionName() { return "fn"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return remainingMillis; }
    @Override public int getMemoryLimitInMB() { return 1024; }
    @Override public LambdaLogger getLogger() { return null; }
  }

  @Test
  void primingSignsAndBuildsTheRequestButNothingReachesThePlatformOrTheQueues() throws Exception {
    com.sun.net.httpserver.HttpServer platform = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    platform.createContext("/", exchange -> {
      received.add(exchange.getRequestMethod());
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    platform.start();
    try {
      HttpPlatformEndpoint endpoint = new HttpPlatformEndpoint(
          java.net.URI.create("http://127.0.0.1:" + platform.getAddress().getPort() + "/webhooks"),
          Duration.ofSeconds(2), Duration.ofSeconds(2));
      List<String> secretReads = new ArrayList<>();
      List<String> deadLettered = new ArrayList<>();
      DeliverToPlatform unsent = new DeliverToPlatform(endpoint.unsent(), () -> {
        secretReads.add("read");
        return SigningSecrets.of("s");
      }, (delivery, attributes) -> deadLettered.add(delivery.eventId()),
          new RetryDelays(RetryDelays.DEFAULT_MAX, Clock.systemUTC(), () -> 0.0), Clock.systemUTC());
      io.telebridge.aws.Priming priming = io.telebridge.aws.Priming.of("platform-delivery")
          .step("unsent delivery", () -> PlatformDeliveryHandler.prime(unsent, Duration.ofSeconds(15))).build();

      assertEquals(1, priming.prime());

      assertEquals(List.of("read"), secretReads, "signed with the platform secret");
      assertEquals(List.of(), deadLettered);
      assertEquals(List.of(), received, "nothing sent to the platform");
      // the same endpoint does send when asked to (the check above could fail)
      endpoint.post(java.util.Map.of(), new byte[0]);
      assertEquals(List.of("POST"), received);
    } finally {
      platform.stop(0);
    }
  }
}
