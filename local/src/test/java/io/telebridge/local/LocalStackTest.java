package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.local.testfn.RecordingSqsHandler;
import io.telebridge.local.testfn.RecordingSqsHandler.Delivery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole local stack on the test template: real ElasticMQ, real moto_server, real HTTP. */
class LocalStackTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static LocalStack stack;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    Path template = Path.of(LocalStackTest.class.getResource("/test-template.yaml").toURI());
    stack = LocalStack.start(LocalStackOptions.forTests(template));
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (stack != null) {
      Path dataDir = stack.dataDir();
      stack.close();
      assertTrue(Files.notExists(dataDir), "the temporary data directory is removed");
    }
  }

  // ------------------------------------------------------------------ IAM authorization

  @Test
  void anApiWithTheIamDefaultAuthorizerWantsSigV4AndHandsTheCallerToTheFunction() throws Exception {
    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(stack.apiUrl("/secure")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, unsigned.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", unsigned.body());

    var local = LocalStack.localCredentials();
    ReviewClient signer = new ReviewClient(stack.apiBaseUrl(),
        software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(local.accessKey(), local.secretKey()),
        "us-east-1");
    HttpResponse<String> signed = signer.send("GET", "/secure?x=1", null);
    assertEquals(200, signed.statusCode(), signed.body());
    JsonNode ctx = JSON.readTree(signed.body()).get("requestContext");
    assertEquals(LocalStack.LOCAL_USER_ARN, ctx.get("iamUserArn").asString());
    assertEquals("test", ctx.get("iamAccessKey").asString());

    ReviewClient wrongSecret = new ReviewClient(stack.apiBaseUrl(),
        software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(local.accessKey(), "not-the-secret"),
        "us-east-1");
    assertEquals(403, wrongSecret.send("GET", "/secure", null).statusCode());

    HttpResponse<String> open = http.send(HttpRequest.newBuilder(stack.apiUrl("/secure-open")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, open.statusCode(), "a route's Authorizer: NONE overrides the API's default");
    assertFalse(JSON.readTree(open.body()).get("requestContext").has("iamUserArn"));
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(stack.apiUrl("/echo")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, plain.statusCode(), "routes of an API without authorizer stay open");
  }

  // ------------------------------------------------------------------ resources

  @Test
  void createsFifoQueuesWithTheTemplatesAttributesAndRedrivePolicy() {
    Map<String, String> work = stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl("WorkQueue"))
        .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
    assertEquals("true", work.get("FifoQueue"));
    assertEquals("true", work.get("ContentBasedDeduplication"));
    assertEquals("1", work.get("VisibilityTimeout"));
    assertEquals("arn:aws:sqs:us-east-1:000000000000:WorkQueue.fifo", work.get("QueueArn"));
    JsonNode redrive = JSON.readTree(work.get("RedrivePolicy"));
    assertEquals(stack.queueArn("WorkDeadLetterQueue"), redrive.get("deadLetterTargetArn").asString());
    assertEquals("arn:aws:sqs:us-east-1:000000000000:WorkDeadLetterQueue.fifo", stack.queueArn("WorkDeadLetterQueue"));
    assertEquals(2, redrive.get("maxReceiveCount").asInt());
    assertEquals("ParkedQueue", stack.queueName("ParkedQueue"));
    assertEquals(stack.queueUrl("ParkedQueue"), stack.queueUrl("ParkedQueue"), "lookup by name works too");
  }

  @Test
  void createsTablesWithKeySchemaIndexesAndTimeToLive() {
    String name = stack.tableName("StateTable");
    assertEquals("StateTable", name);
    TableDescription table = stack.dynamoDb().describeTable(b -> b.tableName(name)).table();
    assertEquals("pk", table.keySchema().get(0).attributeName());
    assertEquals(KeyType.HASH, table.keySchema().get(0).keyType());
    assertEquals("sk", table.keySchema().get(1).attributeName());
    assertEquals("byMrn", table.globalSecondaryIndexes().get(0).indexName());
    assertEquals("PAY_PER_REQUEST", table.billingModeSummary().billingModeAsString());
    var ttl = stack.dynamoDb().describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
    assertEquals("ENABLED", ttl.timeToLiveStatusAsString());
    assertEquals("expiresAt", ttl.attributeName());
  }

  @Test
  void createsADevelopmentSecretForEverySecretArnParameter() {
    String arn = stack.parameters().get("WebhookSecretArn");
    assertTrue(arn.startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:telebridge-local/WebhookSecret"), arn);
    String value = stack.secretsManager().getSecretValue(b -> b.secretId(arn)).secretString();
    assertEquals("dev-webhook-secret-change-me",
        JSON.readTree(value).get("tenants").get(Cli.DEFAULT_TENANT).get("current").asString(),
        "the intake's secret is one per tenant: the development secret signs the sample tenant's events");
  }

  @Test
  void givesEachFunctionItsResolvedTemplateEnvironment() {
    Map<String, String> env = stack.functionEnvironment("EchoFunction");
    assertEquals(stack.queueUrl("WorkQueue"), env.get("WORK_QUEUE_URL"));
    assertEquals(stack.queueArn("WorkQueue"), env.get("WORK_QUEUE_ARN"));
    assertEquals("StateTable", env.get("STATE_TABLE"));
    assertEquals(stack.parameters().get("WebhookSecretArn"), env.get("WEBHOOK_SECRET_ARN"));
    assertEquals("/telebridge-local/dev/echo", env.get("LOG_NAME"));
    assertEquals("dev", env.get("STAGE"));
    assertEquals("from-function", env.get("SHARED"));
    assertEquals("us-east-1", env.get("AWS_REGION"));
    assertEquals(stack.sqsEndpoint().toString(), env.get("AWS_ENDPOINT_URL_SQS"));
    assertEquals(stack.motoEndpoint().toString(), env.get("AWS_ENDPOINT_URL"));
    assertEquals(stack.motoEndpoint().toString(), env.get("AWS_ENDPOINT_URL_DYNAMODB"));
    assertEquals("5", env.get("AWS_LAMBDA_FUNCTION_TIMEOUT"));
    assertEquals("telebridge-local-EchoFunction", env.get("AWS_LAMBDA_FUNCTION_NAME"));
    assertTrue(RecordingSqsHandler.ENVIRONMENTS.stream().anyMatch(e -> "dev".equals(e.get("STAGE"))
        && stack.sqsEndpoint().toString().equals(e.get("AWS_ENDPOINT_URL_SQS"))),
        "the SQS handler was constructed with its environment");
  }

  // ------------------------------------------------------------------ HTTP API

  @Test
  void servesAnHttpApiRouteThroughThePayload2EventAndBack() throws Exception {
    String body = "{\"eventId\":\"evt-1\",\"type\":\"appointment.booked\"}";
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            stack.apiUrl("/echo/p%20q?b=2&a=1&a=3"))
        .header("Content-Type", "application/json")
        .header("X-Multi", "one")
        .header("X-Multi", "two")
        .header("Cookie", "c1=v1; c2=v2")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("yes", response.headers().firstValue("X-Echo").orElse(null));
    assertEquals("session=abc; Path=/", response.headers().firstValue("Set-Cookie").orElse(null));
    JsonNode echo = JSON.readTree(response.body());
    assertEquals("2.0", echo.get("version").asString());
    assertEquals("POST /echo/{id}", echo.get("routeKey").asString());
    assertEquals("/echo/p%20q", echo.get("rawPath").asString());
    assertEquals("b=2&a=1&a=3", echo.get("rawQueryString").asString());
    assertEquals("1,3", echo.get("queryStringParameters").get("a").asString());
    assertEquals("2", echo.get("queryStringParameters").get("b").asString());
    assertEquals("p q", echo.get("pathParameters").get("id").asString());
    assertEquals("c1=v1", echo.get("cookies").get(0).asString());
    assertEquals("c2=v2", echo.get("cookies").get(1).asString());
    JsonNode headers = echo.get("headers");
    assertEquals("one,two", headers.get("x-multi").asString());
    assertEquals("application/json", headers.get("content-type").asString());
    assertTrue(headers.get("x-amzn-trace-id").asString().startsWith("Root=1-"));
    assertEquals("127.0.0.1", headers.get("x-forwarded-for").asString());
    assertTrue(!headers.has("cookie") && !headers.has("Cookie"), "cookies are not among the headers");
    assertEquals(body, echo.get("body").asString());
    assertEquals(false, echo.get("isBase64Encoded").asBoolean());
    JsonNode ctx = echo.get("requestContext");
    assertEquals("000000000000", ctx.get("accountId").asString());
    assertEquals(LocalStack.apiId("EchoApi"), ctx.get("apiId").asString());
    assertEquals("$default", ctx.get("stage").asString());
    assertEquals("POST /echo/{id}", ctx.get("routeKey").asString());
    assertEquals("POST", ctx.get("method").asString());
    assertEquals("/echo/p%20q", ctx.get("path").asString());
    assertEquals(response.headers().firstValue("Apigw-Requestid").orElseThrow(), ctx.get("requestId").asString());
    assertTrue(ctx.get("timeEpoch").asLong() > 0);
    assertTrue(ctx.get("time").asString().endsWith("+0000"));
    assertEquals("telebridge-local-EchoFunction", echo.get("functionName").asString());
    assertTrue(echo.get("remainingTimeInMillis").asInt() > 0);
  }

  @Test
  void passesABinaryBodyBase64EncodedAndDecodesABase64Response() throws Exception {
    byte[] payload = {0, 1, 2, (byte) 0xff};
    HttpResponse<String> echoed = http.send(HttpRequest.newBuilder(stack.apiUrl("/echo/bin"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode echo = JSON.readTree(echoed.body());
    assertEquals(true, echo.get("isBase64Encoded").asBoolean());
    assertEquals(Base64.getEncoder().encodeToString(payload), echo.get("body").asString());

    HttpResponse<byte[]> binary = http.send(HttpRequest.newBuilder(stack.apiUrl("/echo/bin"))
        .header("x-test-binary", "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, binary.statusCode());
    assertArrayEquals(payload, binary.body());
  }

  @Test
  void answersAnUnknownRouteOrMethodWith404LikeApiGateway() throws Exception {
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(stack.apiUrl("/nowhere")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, unknown.statusCode());
    assertEquals("{\"message\":\"Not Found\"}", unknown.body());
    HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(stack.apiUrl("/echo/1")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, wrongMethod.statusCode());
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(stack.apiUrl("/echo")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, get.statusCode(), "the literal GET route is a different route");
    assertEquals("GET /echo", JSON.readTree(get.body()).get("routeKey").asString());
  }

  @Test
  void refusesABodyOverTheTenMegabyteLimitWith413() throws Exception {
    byte[] big = new byte[10 * 1024 * 1024 + 1];
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.apiUrl("/echo/big"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(413, response.statusCode());
  }

  @Test
  void answers500WhenTheHandlerThrowsOrTimesOutAndRecoversAfterwards() throws Exception {
    HttpResponse<String> thrown = http.send(HttpRequest.newBuilder(stack.apiUrl("/echo/x"))
        .header("x-test-throw", "1").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(500, thrown.statusCode());
    assertEquals("{\"message\":\"Internal Server Error\"}", thrown.body());

    long started = System.nanoTime();
    HttpResponse<String> slow = http.send(HttpRequest.newBuilder(stack.apiUrl("/slow"))
        .header("x-test-sleep-ms", "4000").GET().build(), HttpResponse.BodyHandlers.ofString());
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(500, slow.statusCode());
    assertTrue(tookMs < 3500, "cut at the function's 1 s Timeout, took " + tookMs + " ms");
    HttpResponse<String> after = http.send(HttpRequest.newBuilder(stack.apiUrl("/slow")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, after.statusCode(), "a new instance serves the next request");
  }

  @Test
  void reportsAFunctionWhoseHandlerIsMissingAndAnswers500ForItsRoute() throws Exception {
    assertTrue(stack.warnings().stream().anyMatch(w -> w.startsWith("MissingFunction")), stack.warnings().toString());
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.apiUrl("/missing")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(500, response.statusCode());
  }

  @Test
  void skipsAFunctionWhoseModuleIsNotInTheCheckoutWithALineNotAWarning() {
    assertTrue(stack.absentFunctions().containsKey("AbsentModuleFunction"), stack.absentFunctions().toString());
    assertTrue(stack.absentFunctions().get("AbsentModuleFunction").contains("modules/absent"));
    assertTrue(stack.warnings().stream().noneMatch(w -> w.startsWith("AbsentModuleFunction")), stack.warnings().toString());
    assertTrue(stack.functions().stream().noneMatch(f -> f.logicalId().equals("AbsentModuleFunction")));
    assertFalse(stack.absentFunctions().containsKey("MissingFunction"), "a jar in the template's own target/ is no module");
  }

  // ------------------------------------------------------------------ SQS event source

  @Test
  void deliversEachMessageGroupInOrderAndDeletesWhatSucceeded() {
    String queueUrl = stack.queueUrl("WorkQueue");
    for (int i = 1; i <= 5; i++) {
      for (String group : List.of("order-A", "order-B")) {
        String body = group + "-" + i;
        stack.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageGroupId(group).messageBody(body)
            .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("test").build())));
      }
    }
    await(() -> deliveries("order-").size() >= 10, Duration.ofSeconds(20));
    for (String group : List.of("order-A", "order-B")) {
      List<String> bodies = deliveries(group).stream().map(Delivery::body).toList();
      assertEquals(List.of(group + "-1", group + "-2", group + "-3", group + "-4", group + "-5"), bodies);
    }
    Delivery first = deliveries("order-A").get(0);
    assertEquals("aws:sqs", first.eventSource());
    assertEquals(stack.queueArn("WorkQueue"), first.eventSourceArn());
    assertEquals("us-east-1", first.awsRegion());
    assertEquals("order-A", first.groupId());
    assertEquals(1, first.receiveCount());
    assertNotNull(first.attributes().get("SequenceNumber"));
    assertNotNull(first.attributes().get("MessageDeduplicationId"));
    assertNotNull(first.attributes().get("SentTimestamp"));
    assertNotNull(first.md5OfBody());
    assertEquals(Map.of("kind", "String:test"), first.messageAttributes());
    sleep(2500); // past the 1 s visibility timeout: nothing comes back
    assertEquals(10, deliveries("order-").size(), "each message delivered once");
  }

  @Test
  void bringsBackTheMessagesListedInBatchItemFailuresAfterTheVisibilityTimeout() {
    stack.sqs().sendMessage(b -> b.queueUrl(stack.queueUrl("WorkQueue")).messageGroupId("retry")
        .messageBody("fail-once-1"));
    await(() -> deliveries("fail-once-1").size() >= 2, Duration.ofSeconds(20));
    List<Delivery> seen = deliveries("fail-once-1");
    assertEquals(1, seen.get(0).receiveCount());
    assertEquals(2, seen.get(1).receiveCount());
    assertEquals(seen.get(0).messageId(), seen.get(1).messageId());
    sleep(2500);
    assertEquals(2, deliveries("fail-once-1").size(), "deleted once it succeeded");
  }

  @Test
  void movesAMessageThatKeepsFailingToTheDeadLetterQueueAfterMaxReceiveCount() {
    stack.sqs().sendMessage(b -> b.queueUrl(stack.queueUrl("WorkQueue")).messageGroupId("poison")
        .messageBody("poison-1"));
    String dlq = stack.queueUrl("WorkDeadLetterQueue");
    Message dead = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (dead == null && System.nanoTime() < deadline) {
      List<Message> got = stack.sqs().receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      dead = got.stream().filter(m -> m.body().equals("poison-1")).findFirst().orElse(null);
    }
    assertNotNull(dead, "the poison message reached the DLQ");
    assertEquals(2, deliveries("poison-1").size(), "delivered maxReceiveCount (2) times");
    String handle = dead.receiptHandle();
    stack.sqs().deleteMessage(b -> b.queueUrl(dlq).receiptHandle(handle));
  }

  // ------------------------------------------------------------------ CLI

  @Test
  void cliSendSignsTheFilesExactBytesAndPostsThem(@TempDir Path dir) throws Exception {
    byte[] bytes = "{\"eventId\":\"evt-cli\",\n  \"type\":\"appointment.booked\"}\n".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("event.json"), bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"send", file.toString(), "--url", stack.apiUrl("/echo/cli").toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    assertTrue(printed.contains("HTTP 200"), printed);
    JsonNode echo = JSON.readTree(printed.substring(printed.indexOf('{')));
    JsonNode headers = echo.get("headers");
    long timestamp = Long.parseLong(headers.get("x-telebridge-timestamp").asString());
    assertEquals(WebhookSignature.sign(stack.devSigningSecret(), timestamp, bytes),
        headers.get("x-telebridge-signature").asString());
    assertEquals(new String(bytes, StandardCharsets.UTF_8), echo.get("body").asString(), "the exact bytes");

    int notFound = Cli.run(new String[] {"send", file.toString(), "--url", stack.apiUrl("/nowhere").toString()},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
    assertEquals(1, notFound, "non-2xx exits 1");
  }

  @Test
  void cliSignPrintsBothHeaders(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("e.json"), "{}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Cli.run(new String[] {"sign", file.toString(), "--secret", "s3"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream())));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
    assertTrue(lines[0].startsWith("X-Telebridge-Timestamp: "));
    long ts = Long.parseLong(lines[0].substring("X-Telebridge-Timestamp: ".length()));
    assertEquals("X-Telebridge-Signature: " + WebhookSignature.sign("s3", ts, "{}".getBytes(StandardCharsets.UTF_8)),
        lines[1]);
  }

  @Test
  void cliPeekShowsMessagesWithoutConsumingThem() {
    String url = stack.queueUrl("ParkedQueue");
    stack.sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"parked\":1}")
        .messageAttributes(Map.of("source", MessageAttributeValue.builder().dataType("String").stringValue("test").build())));
    stack.sqs().sendMessage(b -> b.queueUrl(url).messageBody("plain text"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"peek", "ParkedQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    assertTrue(printed.contains("showing 2"), printed);
    assertTrue(printed.contains("\"parked\" : 1"), printed);
    assertTrue(printed.contains("plain text"), printed);
    assertTrue(printed.contains("MessageAttribute:        source (String) = test"), printed);
    List<Message> still = stack.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    assertEquals(2, still.size(), "peek left both messages on the queue");
    still.forEach(m -> stack.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(1, Cli.run(new String[] {"peek", "NoSuchQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("WorkQueue.fifo"), "lists the queues that exist");
  }

  @Test
  void cliRedriveMovesDeadLettersBackToTheSourceQueueInGroupOrder() {
    String dlq = stack.queueUrl("WorkDeadLetterQueue");
    for (int i = 1; i <= 3; i++) {
      String body = "redrive-" + i;
      stack.sqs().sendMessage(b -> b.queueUrl(dlq).messageGroupId("redriven").messageDeduplicationId(body)
          .messageBody(body));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"redrive", "WorkDeadLetterQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    assertTrue(printed.contains("3 message(s) moved from WorkDeadLetterQueue.fifo to WorkQueue.fifo"), printed);
    await(() -> deliveries("redrive-").size() >= 3, Duration.ofSeconds(20));
    assertEquals(List.of("redrive-1", "redrive-2", "redrive-3"), deliveries("redrive-").stream().map(Delivery::body).toList());
    assertEquals("redriven", deliveries("redrive-").get(0).groupId());
  }

  @Test
  void bannerTellsWhereTheApiQueuesAndTablesAre() {
    String banner = LocalStackMain.banner(stack);
    assertTrue(banner.contains(stack.apiBaseUrl() + "/echo/{id}"), banner);
    assertTrue(banner.contains(stack.queueUrl("WorkQueue")), banner);
    assertTrue(banner.contains("StateTable"), banner);
    assertTrue(banner.contains("dev-webhook-secret-change-me"), banner);
    assertTrue(banner.contains("./tb send events/appointment.booked.json"), banner);
    assertTrue(banner.contains("./tb peek WorkQueue"), banner);
    assertTrue(banner.contains("aws --endpoint-url " + stack.sqsEndpoint() + " sqs receive-message"), banner);
    assertTrue(banner.contains("WorkerFunction <- SQS WorkQueue.fifo"), banner);
  }

  // ------------------------------------------------------------------ helpers

  private static List<Delivery> deliveries(String bodyPrefix) {
    return RecordingSqsHandler.DELIVERIES.stream().filter(d -> d.body().startsWith(bodyPrefix)).toList();
  }

  private static void await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      sleep(50);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
