package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

/** The one priming helper: what a snapshot runs, in order, guarded, and nothing it must not do. */
class PrimingTest {

  private final List<String> ran = new ArrayList<>();

  @Test
  void registersWithTheCracContextAndPrimesAtCheckpointThenRefreshesAtRestore() throws Exception {
    List<Resource> context = new ArrayList<>();
    Priming priming = Priming.of("test")
        .step("read", () -> ran.add("read"))
        .step("translate", () -> ran.add("translate"))
        .afterRestore(() -> ran.add("reseed"))
        .register(context::add);

    assertEquals(1, context.size());
    assertSame(priming, context.get(0));
    assertTrue(Priming.registered().contains(priming), "held strongly: the CRaC context may hold it weakly");
    assertEquals(List.of(), ran, "nothing runs at registration (init stays lean)");

    context.get(0).beforeCheckpoint(null);
    assertEquals(List.of("read", "translate"), ran);
    assertEquals(2, priming.lastPrimed());

    context.get(0).afterRestore(null);
    assertEquals(List.of("read", "translate", "reseed"), ran);
  }

  @Test
  void aFailingStepIsSkippedAndNeverFailsTheCheckpoint() {
    Priming priming = Priming.of("test")
        .step("broken", () -> {
          throw new IllegalStateException("no table");
        })
        .step("after", () -> ran.add("after"))
        .afterRestore(() -> {
          throw new IllegalStateException("restore");
        })
        .build();

    assertEquals(1, priming.prime());
    priming.restored();

    assertEquals(List.of("after"), ran);
  }

  @Test
  void checkpointRestoreRunsEveryRegisteredPrimingInProcess() {
    Priming.of("a").step("a", () -> ran.add("a")).afterRestore(() -> ran.add("a restored")).register(r -> {});
    Priming.of("b").step("b", () -> ran.add("b")).register(r -> {});

    assertTrue(Priming.checkpointRestore() >= 2);

    assertTrue(ran.indexOf("a") < ran.indexOf("a restored"));
    assertTrue(ran.indexOf("b") < ran.indexOf("a restored"), "every checkpoint before any restore");
  }

  @Test
  void unsentClientsBuildAndSignEveryRequestButNothingReachesTheService() throws Exception {
    LoopbackHttp service = new LoopbackHttp().answer(r -> LoopbackHttp.Answer.of(200, "{}"));
    List<LoopbackHttp.Seen> received = service.seen();
    var endpoint = service.uri();
    var credentials = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test"));
    var dynamo = new io.telebridge.aws.dynamodb.DynamoDb(new SignedHttp("dynamodb", "us-east-1",
        SignedHttp.Style.STANDARD, credentials, software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create(),
        java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(5)), endpoint);
    try (var sqs = software.amazon.awssdk.services.sqs.SqsClient.builder().endpointOverride(endpoint)
            .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(credentials)
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
      var unsentDynamo = Priming.unsent(dynamo);
      unsentDynamo.putItem(b -> b.tableName("t").item(java.util.Map.of("pk",
          io.telebridge.aws.dynamodb.AttributeValue.fromS("prime"))));
      unsentDynamo.updateItem(b -> b.tableName("t").key(java.util.Map.of("pk",
          io.telebridge.aws.dynamodb.AttributeValue.fromS("prime"))));
      Priming.unsent(sqs).sendMessage(b -> b.queueUrl(endpoint + "/000000000000/q").messageBody("prime"));
      // a Query is answered as an empty table would: a count the adapters read (null broke the to-EHR priming)
      assertEquals(0, unsentDynamo.query(b -> b.tableName("t").keyConditionExpression("pk = :v")
          .expressionAttributeValues(java.util.Map.of(":v",
              io.telebridge.aws.dynamodb.AttributeValue.fromS("prime")))).count());
      assertEquals(List.of(), received, "nothing sent");

      // the live clients do reach the service (the check above could fail)
      assertEquals(1, Priming.of("t").step("read", Priming.tableRead(dynamo, "t")).build().prime());
      assertEquals(List.of("DynamoDB_20120810.DescribeTable"),
          received.stream().map(r -> r.header("X-Amz-Target")).toList());
    } finally {
      service.close();
    }
  }
}
