package io.telebridge.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LambdaJsonTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The shape of the AWS docs' HTTP API payload 2.0 example (with an IAM authorizer), values our own. */
  static final String API_V2 = """
      {
        "version": "2.0",
        "routeKey": "GET /v1/reviews",
        "rawPath": "/v1/reviews",
        "rawQueryString": "tenant=acme&state=open",
        "cookies": ["tb_csrf=abc", "other=1"],
        "headers": {"content-type": "application/json", "x-telebridge-timestamp": "1700000000"},
        "queryStringParameters": {"tenant": "acme", "state": "open"},
        "requestContext": {
          "accountId": "123456789012",
          "apiId": "api-id",
          "authorizer": {"iam": {"accessKey": "AKIAEXAMPLE", "accountId": "123456789012", "callerId": "AIDAEXAMPLE",
            "cognitoIdentity": null, "principalOrgId": null, "userArn": "arn:aws:iam::123456789012:user/ops",
            "userId": "AIDAEXAMPLE"}},
          "domainName": "id.execute-api.us-east-1.amazonaws.com",
          "http": {"method": "GET", "path": "/v1/reviews", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1",
            "userAgent": "agent"},
          "requestId": "JKJaXmPLvHcESHA=",
          "routeKey": "GET /v1/reviews",
          "stage": "$default",
          "time": "12/Mar/2020:19:03:58 +0000",
          "timeEpoch": 1583348638390
        },
        "pathParameters": {"id": "x"},
        "stageVariables": {"a": "b"},
        "body": "{\\"tenant\\":\\"acme\\"}",
        "isBase64Encoded": false
      }
      """;

  /** An SQS FIFO event as Lambda's event source hands it over (two records, one group). */
  static final String SQS_FIFO = """
      {"Records": [
        {"messageId": "m-1", "receiptHandle": "rh-1", "body": "{\\"eventId\\":\\"e1\\"}",
         "attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1700000000000",
           "SequenceNumber": "18849496460467696128", "MessageGroupId": "acme:pat-1", "SenderId": "AIDAEXAMPLE",
           "MessageDeduplicationId": "e1", "ApproximateFirstReceiveTimestamp": "1700000000100"},
         "messageAttributes": {"eventId": {"stringValue": "e1", "stringListValues": [], "binaryListValues": [],
           "dataType": "String"}, "blob": {"binaryValue": "AAEC", "dataType": "Binary"}},
         "md5OfBody": "x", "eventSource": "aws:sqs",
         "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:to-platform.fifo", "awsRegion": "us-east-1"},
        {"messageId": "m-2", "receiptHandle": "rh-2", "body": "second",
         "attributes": {"MessageGroupId": "acme:pat-1"}, "messageAttributes": {}}
      ]}
      """;

  private static ByteArrayInputStream in(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAnHttpApiV2RequestIgnoringWhatItDoesNotUse() {
    HttpApiRequest r = LambdaJson.httpRequest(in(API_V2));
    assertEquals("GET /v1/reviews", r.routeKey());
    assertEquals("/v1/reviews", r.rawPath());
    assertEquals("tenant=acme&state=open", r.rawQueryString());
    assertEquals(List.of("tb_csrf=abc", "other=1"), r.cookies());
    assertEquals("application/json", r.headers().get("content-type"));
    assertEquals(Map.of("tenant", "acme", "state", "open"), r.queryStringParameters());
    assertEquals("{\"tenant\":\"acme\"}", r.body());
    assertFalse(r.isBase64Encoded());
    assertEquals("JKJaXmPLvHcESHA=", r.requestId());
    assertEquals("GET", r.method());
    assertEquals("/v1/reviews", r.requestContext().http().path());
    assertEquals(new HttpApiRequest.Iam("AKIAEXAMPLE", "123456789012", "AIDAEXAMPLE",
        "arn:aws:iam::123456789012:user/ops"), r.iam());
  }

  @Test
  void aRequestWithoutOptionalFieldsHasEmptyMapsAndNulls() {
    HttpApiRequest r = LambdaJson.httpRequest(in("{\"version\":\"2.0\",\"rawPath\":\"/x\"}"));
    assertEquals("/x", r.rawPath());
    assertEquals(Map.of(), r.headers());
    assertEquals(Map.of(), r.queryStringParameters());
    assertEquals(List.of(), r.cookies());
    assertNull(r.body());
    assertNull(r.requestId());
    assertNull(r.method());
    assertNull(r.iam());
    assertFalse(r.isBase64Encoded());
  }

  @Test
  void aBase64BodyStaysEncodedAndFlagged() {
    byte[] bytes = "{\"x\":\"é\"}".getBytes(StandardCharsets.UTF_8);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    HttpApiRequest r = LambdaJson.httpRequest(in("{\"body\":\"" + b64 + "\",\"isBase64Encoded\":true}"));
    assertTrue(r.isBase64Encoded());
    assertEquals(b64, r.body());
  }

  @Test
  void aRequestRoundTripsThroughTheBytesLambdaHandsOver() {
    HttpApiRequest original = LambdaJson.httpRequest(in(API_V2));
    HttpApiRequest again = LambdaJson.httpRequest(new ByteArrayInputStream(LambdaJson.bytes(original)));
    assertEquals(original, again);
  }

  @Test
  void writesTheResponseApiGatewayReads() {
    HttpApiResponse response = HttpApiResponse.of(401, Map.of("Content-Type", "application/problem+json"), "{\"a\":1}")
        .withCookies(List.of("tb_csrf=x; Path=/console"));
    response.headers().put("WWW-Authenticate", "TelebridgeSignature");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LambdaJson.write(response, out);
    JsonNode json = JSON.readTree(out.toByteArray());
    assertEquals(401, json.get("statusCode").asInt());
    assertEquals("application/problem+json", json.get("headers").get("Content-Type").asString());
    assertEquals("TelebridgeSignature", json.get("headers").get("WWW-Authenticate").asString());
    assertEquals("tb_csrf=x; Path=/console", json.get("cookies").get(0).asString());
    assertEquals("{\"a\":1}", json.get("body").asString());
    assertFalse(json.get("isBase64Encoded").asBoolean());
    assertEquals(response, LambdaJson.httpResponse(out.toByteArray()));
  }

  @Test
  void readsAnSqsFifoEvent() {
    SqsEvent event = LambdaJson.sqsEvent(in(SQS_FIFO));
    assertEquals(2, event.records().size());
    SqsMessage m = event.records().get(0);
    assertEquals("m-1", m.messageId());
    assertEquals("rh-1", m.receiptHandle());
    assertEquals("{\"eventId\":\"e1\"}", m.body());
    assertEquals("acme:pat-1", m.attribute("MessageGroupId"));
    assertEquals("2", m.attribute("ApproximateReceiveCount"));
    assertEquals("1700000000000", m.attribute("SentTimestamp"));
    assertEquals("e1", m.messageAttribute("eventId"));
    assertNull(m.messageAttribute("blob"), "binary attributes have no string value");
    assertEquals("arn:aws:sqs:us-east-1:123456789012:to-platform.fifo", m.eventSourceArn());
    SqsMessage second = event.records().get(1);
    assertEquals(Map.of(), second.messageAttributes());
    assertEquals("rh-2", second.receiptHandle());
    assertEquals(event, LambdaJson.sqsEvent(new ByteArrayInputStream(LambdaJson.bytes(event))));
  }

  @Test
  void writesTheBatchItemFailures() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LambdaJson.write(new SqsBatchResponse(List.of("m-2", "m-3")), out);
    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-2\"},{\"itemIdentifier\":\"m-3\"}]}",
        out.toString(StandardCharsets.UTF_8));
    assertEquals(List.of("m-2", "m-3"), LambdaJson.sqsResponse(out.toByteArray()).batchItemFailures());
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    LambdaJson.write(new SqsBatchResponse(List.of()), none);
    assertEquals("{\"batchItemFailures\":[]}", none.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badJsonOnTheSqsPathFailsTheWholeInvocationWithoutEchoingTheInput() throws Exception {
    List<SqsEvent> handled = new ArrayList<>();
    LambdaJson.BadEvent bad = assertThrows(LambdaJson.BadEvent.class, () -> LambdaJson.sqs(
        in("{\"Records\":[{\"body\":\"Jane Doe 1970-01-01\""), new ByteArrayOutputStream(), null,
        (event, context) -> {
          handled.add(event);
          return new SqsBatchResponse(List.of());
        }));
    assertTrue(handled.isEmpty());
    assertFalse(bad.getMessage().contains("Jane"), bad.getMessage());
    assertThrows(LambdaJson.BadEvent.class, () -> LambdaJson.sqsEvent(in("{\"not\":\"sqs\"}")));
    assertThrows(LambdaJson.BadEvent.class, () -> LambdaJson.sqsEvent(in("[1,2]")));
  }

  @Test
  void badJsonOnTheHttpPathIsAnswered400ProblemJson() throws Exception {
    List<HttpApiRequest> handled = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LambdaJson.http(in("{\"headers\": {"), out, null, (request, context) -> {
      handled.add(request);
      return HttpApiResponse.of(200, Map.of(), "ok");
    });
    assertTrue(handled.isEmpty());
    HttpApiResponse answer = LambdaJson.httpResponse(out.toByteArray());
    assertEquals(400, answer.statusCode());
    assertEquals("application/problem+json", answer.headers().get("Content-Type"));
    assertEquals("urn:telebridge:problem:bad-request", JSON.readTree(answer.body()).get("type").asString());
  }

  @Test
  void theStreamEntryHandsTheRequestToTheFunctionAndWritesItsAnswer() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LambdaJson.http(in(API_V2), out, null,
        (request, context) -> HttpApiResponse.of(202, Map.of("X-Method", request.method()), request.body()));
    HttpApiResponse answer = LambdaJson.httpResponse(out.toByteArray());
    assertEquals(202, answer.statusCode());
    assertEquals("GET", answer.headers().get("X-Method"));
    assertEquals("{\"tenant\":\"acme\"}", answer.body());
  }

  @Test
  void toStringsCarryNoBodiesOrHeaders() {
    HttpApiRequest r = LambdaJson.httpRequest(in(API_V2));
    assertFalse(r.toString().contains("acme"), r.toString());
    SqsMessage m = LambdaJson.sqsEvent(in(SQS_FIFO)).records().get(0);
    assertFalse(m.toString().contains("e1") || m.toString().contains("pat-1"), m.toString());
    assertFalse(HttpApiResponse.of(200, Map.of(), "{\"name\":\"Jane\"}").toString().contains("Jane"));
  }
}
