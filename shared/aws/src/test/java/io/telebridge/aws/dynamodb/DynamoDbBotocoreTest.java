package io.telebridge.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.telebridge.aws.BotocoreSigner;
import io.telebridge.aws.LoopbackHttp;
import io.telebridge.aws.SignedHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The DynamoDB client's requests carry the signature botocore's SigV4Auth (AWS's Python signer) computes for
 * the same request (moto checks none). Skipped where python3 with botocore is not installed.
 */
class DynamoDbBotocoreTest {

  /** botocore adds the date itself; the rest it does not sign. */
  private static final Set<String> UNSIGNED = Set.of("authorization", "x-amz-date", "accept", "connection",
      "user-agent", "host");

  @Test
  void requestsCarryTheSignatureBotocoreComputesForTheSameRequest() throws Exception {
    assumeTrue(BotocoreSigner.available(), "python3 with botocore is not installed: DynamoDB signatures not cross-checked");
    try (LoopbackHttp server = new LoopbackHttp().answer(r -> LoopbackHttp.Answer.of(200, "{}"))) {
      DynamoDb dynamo = new DynamoDb(new SignedHttp("dynamodb", "eu-west-2", SignedHttp.Style.STANDARD,
          StaticCredentialsProvider.create(AwsBasicCredentials.create(BotocoreSigner.ACCESS, BotocoreSigner.SECRET)),
          UrlConnectionHttpClient.create(), Clock.fixed(Instant.parse("2026-12-07T16:00:00Z"), ZoneOffset.UTC),
          Duration.ofSeconds(5)), server.uri());
      dynamo.putItem(r -> r.tableName("idem").item(Map.of("pk", AttributeValue.fromS("acme|evt-1 ü"),
          "n", AttributeValue.fromN("1"))).conditionExpression("attribute_not_exists(pk)"));
      dynamo.query(r -> r.tableName("journal").keyConditionExpression("pk = :pk")
          .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("acme|event:evt-1"))).consistentRead(true));
      dynamo.transactWriteItems(List.of(TransactWriteItem.put(Request.create().tableName("t")
          .item(Map.of("pk", AttributeValue.fromS("a"))))));

      assertEquals(3, server.seen().size());
      for (LoopbackHttp.Seen request : server.seen()) {
        assertEquals(BotocoreSigner.authorization(request, server, "dynamodb", "eu-west-2", UNSIGNED),
            request.header("Authorization"), request.header("X-Amz-Target"));
      }
    }
  }
}
