package io.telebridge.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.LoopbackHttp;
import io.telebridge.aws.LoopbackHttp.Answer;
import io.telebridge.aws.SignedHttp;
import io.telebridge.core.error.TransientException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import tools.jackson.databind.json.JsonMapper;

/** The DynamoDB client's wire format, error mapping and retries against a real HTTP peer on loopback. */
class DynamoDbTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ERROR = "com.amazonaws.dynamodb.v20120810#";

  private LoopbackHttp server;
  private DynamoDb dynamo;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackHttp();
    dynamo = client(server);
  }

  static DynamoDb client(LoopbackHttp server) {
    return new DynamoDb(new SignedHttp("dynamodb", "eu-west-2", SignedHttp.Style.STANDARD,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
        UrlConnectionHttpClient.create(), Clock.fixed(Instant.parse("2026-12-07T16:00:00Z"), ZoneOffset.UTC),
        Duration.ofSeconds(5)), server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(LoopbackHttp.Seen request) {
    return JSON.readValue(request.body(), Map.class);
  }

  private static Map<String, Object> json(String text) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = JSON.readValue(text, Map.class);
    return m;
  }

  private void answer(String body) {
    server.answer(r -> Answer.of(200, body));
  }

  @Test
  void putItemIsOneSignedJsonPostWithTypedValuesAndItsExpressions() {
    answer("{}");
    dynamo.putItem(r -> r.tableName("idem").item(Map.of("pk", s("k1"), "n", AttributeValue.fromN("17"),
            "ok", AttributeValue.fromBool(true), "none", AttributeValue.fromNul(),
            "ids", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("v", s("x"))))),
            "tags", AttributeValue.fromSs(List.of("a", "b"))))
        .conditionExpression("attribute_not_exists(pk) OR #s = :p")
        .expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(Map.of(":p", s("IN_PROGRESS")))
        .returnValuesOnConditionCheckFailure("ALL_OLD"));

    LoopbackHttp.Seen put = server.seen().get(0);
    assertEquals("POST", put.method());
    assertEquals("/", put.rawPath());
    assertEquals("DynamoDB_20120810.PutItem", put.header("X-Amz-Target"));
    assertEquals("application/x-amz-json-1.0", put.header("Content-Type"));
    assertTrue(put.header("Authorization").startsWith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/eu-west-2/dynamodb/aws4_request, SignedHeaders="),
        put.header("Authorization"));
    assertTrue(put.header("Authorization").contains("x-amz-target"), "the target is signed");
    assertEquals(json("""
        {"TableName":"idem","Item":{"pk":{"S":"k1"},"n":{"N":"17"},"ok":{"BOOL":true},"none":{"NULL":true},
         "ids":{"L":[{"M":{"v":{"S":"x"}}}]},"tags":{"SS":["a","b"]}},
         "ConditionExpression":"attribute_not_exists(pk) OR #s = :p","ExpressionAttributeNames":{"#s":"status"},
         "ExpressionAttributeValues":{":p":{"S":"IN_PROGRESS"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}
        """), body(put));
  }

  @Test
  void getItemSendsTheKeyAndReadsTheTypedItemBack() {
    answer("""
        {"Item":{"pk":{"S":"k1"},"count":{"N":"3"},"ok":{"BOOL":false},"gone":{"NULL":true},
         "m":{"M":{"a":{"S":"b"}}},"l":{"L":[{"S":"x"},{"N":"1"}]},"ns":{"NS":["1","2"]},"b":{"B":"AQI="}}}
        """);
    Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName("t").key(Map.of("pk", s("k1")))
        .consistentRead(true).projectionExpression("expiresAt")).item();

    assertEquals(json("""
        {"TableName":"t","Key":{"pk":{"S":"k1"}},"ConsistentRead":true,"ProjectionExpression":"expiresAt"}
        """), body(server.seen().get(0)));
    assertEquals("DynamoDB_20120810.GetItem", server.seen().get(0).header("X-Amz-Target"));
    assertEquals("k1", item.get("pk").s());
    assertEquals("3", item.get("count").n());
    assertNull(item.get("count").s());
    assertEquals(false, item.get("ok").bool());
    assertTrue(item.get("gone").nul());
    assertEquals("b", item.get("m").m().get("a").s());
    assertEquals(List.of(s("x"), AttributeValue.fromN("1")), item.get("l").l());
    assertEquals(List.of("1", "2"), item.get("ns").ns());
    assertEquals(List.of((byte) 1, (byte) 2), List.of(item.get("b").b()[0], item.get("b").b()[1]));
  }

  @Test
  void getItemOfNoItemAnswersAnEmptyItem() {
    answer("{}");
    assertTrue(dynamo.getItem(r -> r.tableName("t").key(Map.of("pk", s("none")))).item().isEmpty());
  }

  @Test
  void queryPagesByTheLastEvaluatedKey() {
    answer("""
        {"Items":[{"pk":{"S":"a"},"sk":{"S":"1"}}],"Count":1,"LastEvaluatedKey":{"pk":{"S":"a"},"sk":{"S":"1"}}}
        """);
    Result page = dynamo.query(r -> r.tableName("j").indexName("byTenantHour")
        .keyConditionExpression("#k = :k AND begins_with(sk, :p)").expressionAttributeNames(Map.of("#k", "hourKey"))
        .expressionAttributeValues(Map.of(":k", s("acme|2026"), ":p", s("REC#"))).limit(11).consistentRead(false)
        .scanIndexForward(false).exclusiveStartKey(Map.of("pk", s("a"), "sk", s("0"))));

    assertEquals(json("""
        {"TableName":"j","IndexName":"byTenantHour","KeyConditionExpression":"#k = :k AND begins_with(sk, :p)",
         "ExpressionAttributeNames":{"#k":"hourKey"},"ExpressionAttributeValues":{":k":{"S":"acme|2026"},":p":{"S":"REC#"}},
         "Limit":11,"ConsistentRead":false,"ScanIndexForward":false,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"S":"0"}}}
        """), body(server.seen().get(0)));
    assertEquals(1, page.count());
    assertEquals("a", page.items().get(0).get("pk").s());
    assertEquals(Map.of("pk", s("a"), "sk", s("1")), page.lastEvaluatedKey());

    answer("{\"Items\":[],\"Count\":0}");
    Result last = dynamo.query(r -> r.tableName("j").keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", s("a"))).exclusiveStartKey(Map.of()));
    assertFalse(last.hasLastEvaluatedKey());
    assertFalse(body(server.seen().get(1)).containsKey("ExclusiveStartKey"), "an empty start key is not sent");
  }

  @Test
  void updateItemSendsTheExpressionsAndAnswersTheAttributesAsked() {
    answer("{\"Attributes\":{\"parkedCount\":{\"N\":\"2\"}}}");
    Result r = dynamo.updateItem(u -> u.tableName("t").key(Map.of("pk", s("k"))).updateExpression("SET parkedCount = :n")
        .conditionExpression("parkedCount = :c").expressionAttributeValues(Map.of(":n", AttributeValue.fromN("2"),
            ":c", AttributeValue.fromN("1"))).expressionAttributeNames(Map.of()).returnValues("UPDATED_NEW"));

    assertEquals(json("""
        {"TableName":"t","Key":{"pk":{"S":"k"}},"UpdateExpression":"SET parkedCount = :n",
         "ConditionExpression":"parkedCount = :c","ExpressionAttributeValues":{":n":{"N":"2"},":c":{"N":"1"}},
         "ReturnValues":"UPDATED_NEW"}
        """), body(server.seen().get(0)), "an empty map of names is not sent (DynamoDB refuses it)");
    assertEquals("DynamoDB_20120810.UpdateItem", server.seen().get(0).header("X-Amz-Target"));
    assertEquals("2", r.attributes().get("parkedCount").n());
  }

  @Test
  void batchWriteItemSendsPutsAndDeletesAndAnswersWhatWasLeft() {
    answer("""
        {"UnprocessedItems":{"idx":[{"PutRequest":{"Item":{"pk":{"S":"b"}}}}]}}
        """);
    Result r = dynamo.batchWriteItem(Map.of("idx", List.of(WriteRequest.put(Map.of("pk", s("a"))),
        WriteRequest.put(Map.of("pk", s("b"))), WriteRequest.delete(Map.of("pk", s("c"))))));

    assertEquals(json("""
        {"RequestItems":{"idx":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},{"PutRequest":{"Item":{"pk":{"S":"b"}}}},
         {"DeleteRequest":{"Key":{"pk":{"S":"c"}}}}]}}
        """), body(server.seen().get(0)));
    assertEquals("DynamoDB_20120810.BatchWriteItem", server.seen().get(0).header("X-Amz-Target"));
    assertEquals(Map.of("idx", List.of(WriteRequest.put(Map.of("pk", s("b"))))), r.unprocessedItems());

    answer("{\"UnprocessedItems\":{}}");
    assertTrue(dynamo.batchWriteItem(Map.of("idx", List.of(WriteRequest.put(Map.of("pk", s("b"))))))
        .unprocessedItems().isEmpty());
  }

  @Test
  void transactWriteItemsSendsEachOperationUnderItsKind() {
    answer("{}");
    dynamo.transactWriteItems(List.of(
        TransactWriteItem.put(Request.create().tableName("t").item(Map.of("pk", s("a")))
            .conditionExpression("attribute_not_exists(pk)")),
        TransactWriteItem.update(Request.create().tableName("t").key(Map.of("pk", s("b")))
            .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN("1")))),
        TransactWriteItem.delete(Request.create().tableName("t").key(Map.of("pk", s("c")))),
        TransactWriteItem.conditionCheck(Request.create().tableName("t").key(Map.of("pk", s("d")))
            .conditionExpression("attribute_exists(pk)"))));

    assertEquals("DynamoDB_20120810.TransactWriteItems", server.seen().get(0).header("X-Amz-Target"));
    assertEquals(json("""
        {"TransactItems":[
          {"Put":{"TableName":"t","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)"}},
          {"Update":{"TableName":"t","Key":{"pk":{"S":"b"}},"UpdateExpression":"SET n = :n",
                     "ExpressionAttributeValues":{":n":{"N":"1"}}}},
          {"Delete":{"TableName":"t","Key":{"pk":{"S":"c"}}}},
          {"ConditionCheck":{"TableName":"t","Key":{"pk":{"S":"d"}},"ConditionExpression":"attribute_exists(pk)"}}]}
        """), body(server.seen().get(0)));
  }

  @Test
  void describeTableNamesTheTable() {
    answer("{\"Table\":{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\"}}");
    assertEquals("ACTIVE", dynamo.describeTable("t").tableStatus());
    assertEquals(json("{\"TableName\":\"t\"}"), body(server.seen().get(0)));
    assertEquals("DynamoDB_20120810.DescribeTable", server.seen().get(0).header("X-Amz-Target"));
  }

  @Test
  void aFailedConditionIsItsExceptionWithTheOldItemAndIsNotRetried() {
    server.answer(r -> Answer.of(400, "{\"__type\":\"" + ERROR + "ConditionalCheckFailedException\","
        + "\"message\":\"The conditional request failed\",\"Item\":{\"status\":{\"S\":\"COMPLETED\"}}}"));
    ConditionalCheckFailedException e = assertThrows(ConditionalCheckFailedException.class,
        () -> dynamo.putItem(r -> r.tableName("t").item(Map.of("pk", s("secret-mrn-123")))));
    assertEquals("COMPLETED", e.item().get("status").s());
    assertEquals(1, server.seen().size(), "not retried");
    assertEquals("The conditional request failed", e.awsMessage());
    assertFalse(e.getMessage().contains("secret-mrn-123"));

    server.answer(r -> Answer.of(400, "{\"__type\":\"" + ERROR + "ConditionalCheckFailedException\"}"));
    assertNull(assertThrows(ConditionalCheckFailedException.class,
        () -> dynamo.putItem(r -> r.tableName("t").item(Map.of("pk", s("a"))))).item());
  }

  @Test
  void aCancelledTransactionCarriesItsReasonsInOrder() {
    server.answer(r -> Answer.of(400, "{\"__type\":\"" + ERROR + "TransactionCanceledException\","
        + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons "
        + "[None, ConditionalCheckFailed]\",\"CancellationReasons\":[{\"Code\":\"None\"},"
        + "{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"The conditional request failed\"}]}"));
    TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
        () -> dynamo.transactWriteItems(List.of(TransactWriteItem.put(Request.create().tableName("t")
            .item(Map.of("pk", s("a")))))));
    assertEquals(List.of("None", "ConditionalCheckFailed"),
        e.cancellationReasons().stream().map(TransactionCanceledException.CancellationReason::code).toList());
    assertEquals(1, server.seen().size());
  }

  @Test
  void otherErrorsAreTypedByTheirCodeWithoutTheRequestInTheMessage() {
    server.answer(r -> Answer.of(400, "{\"__type\":\"" + ERROR + "ResourceNotFoundException\","
        + "\"message\":\"Requested resource not found\"}"));
    assertThrows(ResourceNotFoundException.class, () -> dynamo.describeTable("missing"));

    server.answer(r -> Answer.of(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
        + "\"message\":\"One or more parameter values were invalid: jane.doe\"}"));
    DynamoDbException e = assertThrows(DynamoDbException.class,
        () -> dynamo.getItem(r -> r.tableName("t").key(Map.of("pk", s("jane.doe")))));
    assertEquals("ValidationException", e.code());
    assertEquals(400, e.statusCode());
    assertEquals("DynamoDB GetItem: ValidationException (400)", e.getMessage());
    assertEquals(2, server.seen().size(), "neither retried");
  }

  @Test
  void aServerErrorOrAThrottleIsTriedAgainThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    server.answer(r -> switch (calls.incrementAndGet()) {
      case 1 -> Answer.of(500, "{\"__type\":\"" + ERROR + "InternalServerError\"}");
      case 2 -> Answer.of(400, "{\"__type\":\"" + ERROR + "ProvisionedThroughputExceededException\"}");
      default -> Answer.of(200, "{\"Item\":{\"pk\":{\"S\":\"a\"}}}");
    });
    assertEquals("a", dynamo.getItem(r -> r.tableName("t").key(Map.of("pk", s("a")))).item().get("pk").s());
    assertEquals(3, server.seen().size());
  }

  @Test
  void threeThrottlesInARowAreTheThrottleError() {
    server.answer(r -> Answer.of(400, "{\"__type\":\"" + ERROR + "ThrottlingException\"}"));
    DynamoDbException e = assertThrows(DynamoDbException.class,
        () -> dynamo.putItem(r -> r.tableName("t").item(Map.of("pk", s("a")))));
    assertEquals("ThrottlingException", e.code());
    assertEquals(3, server.seen().size());
  }

  @Test
  void noAnswerIsTransientAfterThreeAttempts() throws IOException {
    LoopbackHttp gone = new LoopbackHttp();
    DynamoDb unreachable = client(gone);
    gone.close();
    TransientException e = assertThrows(TransientException.class,
        () -> unreachable.getItem(r -> r.tableName("t").key(Map.of("pk", s("a")))));
    assertTrue(e.getMessage().startsWith("DynamoDB GetItem failed ("), e.getMessage());
  }

  @Test
  void theEndpointIsTheOverrideElseTheRegionalOne() {
    assertEquals(server.uri(), dynamo.endpoint());
    assertEquals("https://dynamodb.eu-west-2.amazonaws.com",
        new DynamoDb(new SignedHttp("dynamodb", "eu-west-2", SignedHttp.Style.STANDARD, null, null, null, null), null)
            .endpoint().toString());
  }

  @Test
  void anAttributeValueNeverShowsItsValue() {
    assertEquals("AttributeValue[S]", s("Jane Doe").toString());
    assertInstanceOf(String.class, AttributeValue.fromN("1").n());
  }
}
