package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.aws.lambda.LambdaJson;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.intake.IntakeHandler;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.PurgeQueueRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signed webhook intake end to end on the local stack: real HTTP into the API route, the
 * real handler, ElasticMQ for SQS and moto for DynamoDB and Secrets Manager.
 */
class IntakeIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static LogCapture logs;
  private static LocalStack stack;
  private static URI url;
  private static String queueUrl;

  @BeforeAll
  static void startStack() throws IOException {
    logs = new LogCapture();
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .disableEventSources("ToEhrTranslatorFunction"));
    url = stack.apiUrl("/v1/events");
    queueUrl = stack.queueUrl("IntakeQueue");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
    logs.close();
  }

  @BeforeEach
  void emptyQueue() {
    stack.sqs().purgeQueue(PurgeQueueRequest.builder().queueUrl(queueUrl).build());
  }

  private static List<Message> drain() {
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<Message> batch = stack.sqs().receiveMessage(ReceiveMessageRequest.builder()
          .queueUrl(queueUrl)
          .maxNumberOfMessages(10)
          .waitTimeSeconds(i == 0 ? 1 : 0)
          .visibilityTimeout(60)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All")
          .build()).messages();
      all.addAll(batch);
      if (batch.isEmpty() && i > 0) {
        break;
      }
    }
    return all;
  }

  private static byte[] withId(String sample, String id) throws IOException {
    return Signed.event(sample, id, null);
  }


  @Test
  void acceptsASignedBookingOnlyOnceItIsOnTheIntakeQueueGroupedByPatient() throws Exception {
    byte[] body = withId("appointment.booked.json", "evt-it-booked-1");
    HttpResponse<String> response = Signed.post(url, stack.devSigningSecret(), body);

    assertEquals(202, response.statusCode(), response.body());
    JsonNode answer = JSON.readTree(response.body());
    assertEquals("evt-it-booked-1", answer.get("eventId").asString());
    assertFalse(answer.get("replay").asBoolean());

    List<Message> messages = drain();
    assertEquals(1, messages.size());
    Message m = messages.get(0);
    assertEquals("demo-clinic:pat-1001", m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
    assertEquals("demo-clinic:evt-it-booked-1", m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
    assertEquals(new String(body, StandardCharsets.UTF_8), m.body());
    assertEquals("appointment.booked", m.messageAttributes().get("eventType").stringValue());
  }

  @Test
  void answersARepeatedEventIdAsAReplayFromTheIdempotencyTableAndEnqueuesOnce() throws Exception {
    byte[] body = withId("appointment.rescheduled.json", "evt-it-repeat-1");
    assertEquals(202, Signed.post(url, stack.devSigningSecret(), body).statusCode());
    List<Message> first = drain();
    assertEquals(1, first.size());
    // consume it, as the translator would: SQS would now accept a copy after its 5-minute window
    first.forEach(m -> stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));

    HttpResponse<String> again = Signed.post(url, stack.devSigningSecret(), body);

    assertEquals(202, again.statusCode());
    assertTrue(JSON.readTree(again.body()).get("replay").asBoolean(), "answered from the table, not by SQS");
    assertTrue(drain().isEmpty());
    Map<String, AttributeValue> item = stack.dynamoDb().getItem(GetItemRequest.builder()
        .tableName(stack.tableName("IdempotencyTable"))
        .key(Map.of("pk", AttributeValue.fromS("demo-clinic/evt-it-repeat-1")))
        .build()).item();
    assertEquals("COMPLETED", item.get("status").s());
    long expiresAt = Long.parseLong(item.get("expiresAt").n());
    assertTrue(expiresAt > Instant.now().plusSeconds(6 * 24 * 3600).getEpochSecond(), "remembered for days");
  }

  @Test
  void enqueuesOneMessageWhenTwoCopiesArriveAtOnce() throws Exception {
    byte[] body = withId("appointment.cancelled.json", "evt-it-race-1");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(pool.submit(() -> Signed.post(url, stack.devSigningSecret(), body)));
      }
      for (Future<HttpResponse<String>> call : calls) {
        int status = call.get().statusCode();
        assertTrue(status == 202 || status == 503, "202, or 503 while the twin holds the claim: " + status);
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, drain().size());
  }

  @Test
  void refusesEveryBadRequestWithItsStatusAndEnqueuesNothing() throws Exception {
    String secret = stack.devSigningSecret();
    byte[] good = withId("appointment.booked.json", "evt-it-bad-1");
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> invalid = Signed.post(url, secret, Signed.sample("edge/invalid.appointment.booked.json"));
    assertEquals(400, invalid.statusCode());
    assertEquals("application/problem+json", invalid.headers().firstValue("content-type").orElse(""));
    JsonNode problem = JSON.readTree(invalid.body());
    List<String> pointers = new ArrayList<>();
    problem.get("errors").forEach(e -> pointers.add(e.get("pointer").asString()));
    assertEquals(List.of("/data/appointment/provider/npi", "/data/appointment/start", "/patient/birthDate"),
        pointers.stream().sorted().toList());
    assertFalse(invalid.body().contains("07/19/1984"), "the problem never echoes submitted values");

    HttpResponse<String> notJson = Signed.post(url, secret, "{\"id\": ".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, notJson.statusCode());
    assertEquals("urn:telebridge:problem:malformed-json", JSON.readTree(notJson.body()).get("type").asString());

    assertEquals(401, Signed.post(url, "application/json", Long.toString(now), null, good).statusCode());
    assertEquals(401, Signed.post(url, "application/json", null, WebhookSignature.sign(secret, now, good), good).statusCode());
    assertEquals(401, Signed.post(url, "application/json", Long.toString(now),
        WebhookSignature.sign("not-the-secret", now, good), good).statusCode());
    long stale = now - 600;
    HttpResponse<String> expired = Signed.post(url, "application/json", Long.toString(stale),
        WebhookSignature.sign(secret, stale, good), good);
    assertEquals(401, expired.statusCode());
    assertEquals("urn:telebridge:problem:stale-timestamp", JSON.readTree(expired.body()).get("type").asString());

    byte[] huge = ("{\"id\":\"evt-big\",\"pad\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertEquals(413, Signed.post(url, secret, huge).statusCode());

    assertEquals(415, Signed.post(url, "text/plain", Long.toString(now), WebhookSignature.sign(secret, now, good), good)
        .statusCode());
    assertEquals(415, Signed.post(url, "application/x-www-form-urlencoded", Long.toString(now),
        WebhookSignature.sign(secret, now, good), good).statusCode());

    assertTrue(drain().isEmpty(), "nothing enqueued for a rejected request");
    long claimed = stack.dynamoDb().scan(ScanRequest.builder().tableName(stack.tableName("IdempotencyTable")).build())
        .items().stream().filter(i -> i.get("pk").s().contains("evt-it-bad-1")).count();
    assertEquals(0, claimed, "no idempotency record for a rejected request");
  }

  // ---- what the translator cannot carry is refused at the door (issue 9, section 4): a body whose text
  // holds U+FFFF (SQS refuses it: the old answer was 503 + Retry-After for ever), a start at +19:00, a
  // time zone that is not an IANA name (the old answer was 202, then the intake DLQ)

  private static byte[] booking(String id, String from, String to) throws IOException {
    String body = new String(Signed.event("appointment.booked.json", id, null), StandardCharsets.UTF_8);
    assertTrue(body.contains(from), from);
    return body.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  /** Posts the signed body; asserts 400 problem+json whose errors name exactly these pointers, and an empty queue. */
  private static JsonNode refused(byte[] body, String... pointers) throws Exception {
    HttpResponse<String> response = Signed.post(url, stack.devSigningSecret(), body);
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("content-type").orElse(""));
    assertTrue(response.headers().firstValue("retry-after").isEmpty(), "a 400 is not to be retried");
    JsonNode problem = JSON.readTree(response.body());
    assertEquals("urn:telebridge:problem:invalid-event", problem.get("type").asString());
    List<String> named = new ArrayList<>();
    problem.get("errors").forEach(e -> named.add(e.get("pointer").asString()));
    assertEquals(List.of(pointers), named.stream().sorted().toList());
    assertTrue(drain().isEmpty(), "nothing reaches the intake queue");
    return problem;
  }

  @Test
  void refusesAReasonHoldingUffffWith400NamingTheFieldInsteadOf503ForEver() throws Exception {
    // raw U+FFFF (UTF-8 EF BF BF) in the text: SQS refuses the message body
    JsonNode problem = refused(booking("evt-it-rules-ffff-raw", "Recurring headaches", "Recurring \uFFFF headaches"),
        "/data/appointment/reason");
    assertFalse(problem.toString().contains("Recurring"), "the problem never echoes submitted values");
    // the JSON escape of it: the intake queue would carry it, the to-EHR queue would not carry its HL7
    refused(booking("evt-it-rules-ffff-esc", "Recurring headaches", "Recurring \\uffff headaches"),
        "/data/appointment/reason");
    // an unpaired surrogate in a name
    refused(booking("evt-it-rules-surrogate", "\"Seán\"", "\"Se\\ud800n\""), "/patient/name/given/0");
  }

  @Test
  void refusesAnAppointmentStartAtPlusNineteenHours() throws Exception {
    refused(booking("evt-it-rules-offset", "2025-11-20T14:30:00-05:00", "2025-11-20T14:30:00+19:00"),
        "/data/appointment/start");
  }

  @Test
  void refusesATimeZoneThatIsNotAnIanaName() throws Exception {
    refused(booking("evt-it-rules-zone", "America/New_York", "America/Gotham"), "/data/appointment/timeZone");
  }

  @Test
  void acceptsTheWidestRealOffsetAndZoneAndQueuesTheEventOnce() throws Exception {
    String body = new String(booking("evt-it-rules-kiribati", "America/New_York", "Pacific/Kiritimati"),
        StandardCharsets.UTF_8)
        .replace("2025-11-20T14:30:00-05:00", "2025-11-21T09:30:00+14:00")
        .replace("2025-11-20T15:00:00-05:00", "2025-11-21T10:00:00+14:00");
    HttpResponse<String> response = Signed.post(url, stack.devSigningSecret(), body.getBytes(StandardCharsets.UTF_8));
    assertEquals(202, response.statusCode(), response.body());
    List<Message> queued = drain();
    assertEquals(1, queued.size());
    assertEquals(body, queued.get(0).body());
  }

  /** The intake function wired like the stack's, but with one AWS service pointed at a dead port. */
  private static IntakeHandler handlerWithDeadEndpoint(String variable) throws IOException {
    Map<String, String> env = new HashMap<>(stack.functionEnvironment("IntakeFunction"));
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    env.put(variable, "http://127.0.0.1:" + dead);
    return new IntakeHandler(env);
  }

  private static HttpApiRequest apiEvent(byte[] body) {
    long ts = Instant.now().getEpochSecond();
    return HttpApiRequest.of("POST", "/v1/events", Map.of("content-type", "application/json",
            "x-telebridge-timestamp", Long.toString(ts),
            "x-telebridge-signature", WebhookSignature.sign(stack.devSigningSecret(), ts, body)),
        new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void answers503WhenSqsIsDownAndTheRetryLaterSucceedsOnce() throws Exception {
    byte[] body = withId("appointment.no_show.json", "evt-it-sqs-down-1");
    HttpApiResponse down = LambdaJson.invoke(handlerWithDeadEndpoint("AWS_ENDPOINT_URL_SQS"), apiEvent(body));

    assertEquals(503, down.statusCode());
    assertEquals("5", down.headers().get("Retry-After"));
    assertTrue(drain().isEmpty());
    Map<String, AttributeValue> claim = stack.dynamoDb().getItem(GetItemRequest.builder()
        .tableName(stack.tableName("IdempotencyTable"))
        .key(Map.of("pk", AttributeValue.fromS("demo-clinic/evt-it-sqs-down-1"))).build()).item();
    assertEquals("IN_PROGRESS", claim.get("status").s(), "claimed, then released, never completed");
    assertEquals("0", claim.get("leaseUntil").n(), "the claim was released");

    HttpResponse<String> retry = Signed.post(url, stack.devSigningSecret(), body);
    assertEquals(202, retry.statusCode());
    assertFalse(JSON.readTree(retry.body()).get("replay").asBoolean());
    assertEquals(1, drain().size());
  }

  @Test
  void answers503WhenDynamoDbIsDownEnqueuesNothingAndTheRetryLaterSucceeds() throws Exception {
    byte[] body = withId("patient.updated.json", "evt-it-ddb-down-1");
    HttpApiResponse down = LambdaJson.invoke(handlerWithDeadEndpoint("AWS_ENDPOINT_URL_DYNAMODB"), apiEvent(body));

    assertEquals(503, down.statusCode());
    assertTrue(down.headers().containsKey("Retry-After"));
    assertTrue(drain().isEmpty());

    assertEquals(202, Signed.post(url, stack.devSigningSecret(), body).statusCode());
    assertEquals(1, drain().size());
  }

  @Test
  void logsIdsButNoNamesBirthDatesOrPayloads() throws Exception {
    byte[] body = withId("appointment.booked.json", "evt-it-logs-1");
    assertEquals(202, Signed.post(url, stack.devSigningSecret(), body).statusCode());
    Signed.post(url, stack.devSigningSecret(), Signed.sample("edge/invalid.appointment.booked.json"));
    Signed.post(url, stack.devSigningSecret(), Signed.sample("edge/patient.registered.escaping.json"));
    LambdaJson.invoke(handlerWithDeadEndpoint("AWS_ENDPOINT_URL_SQS"), apiEvent(withId("appointment.booked.json", "evt-it-logs-2")));

    JsonNode booked = JSON.readTree(body);
    JsonNode escaping = JSON.readTree(Signed.sample("edge/patient.registered.escaping.json"));
    JsonNode invalid = JSON.readTree(Signed.sample("edge/invalid.appointment.booked.json"));
    List<String> forbidden = new ArrayList<>();
    for (JsonNode event : List.of(booked, escaping, invalid)) {
      JsonNode p = event.get("patient");
      forbidden.add(p.get("name").get("family").asString());
      p.get("name").get("given").forEach(g -> forbidden.add(g.asString()));
      forbidden.add(p.get("birthDate").asString());
      if (p.has("email")) {
        forbidden.add(p.get("email").asString());
      }
    }
    forbidden.add(booked.get("data").get("appointment").get("reason").asString());

    String everything = logs.text();
    assertTrue(everything.contains("evt-it-logs-1"), "the logs do name the event id");
    for (String value : forbidden) {
      assertFalse(everything.contains(value), "a log line contains patient data");
    }
  }
}
