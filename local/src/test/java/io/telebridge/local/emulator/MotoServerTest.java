package io.telebridge.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.telebridge.local.aws.AwsClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** moto as the local stack runs it: its state survives a SIGKILL and a clean stop; a crashed run's server is reclaimed. */
class MotoServerTest {

  private static final Duration START = Duration.ofSeconds(120);

  @Test
  void acknowledgedWritesSurviveASigkillOfMotoAndACleanStopAndEachRestart(@TempDir Path dir) throws Exception {
    assumeTrue(MotoLaunch.serialPython() != null, "python3 with moto is not installed (plain moto_server keeps nothing)");
    Path state = dir.resolve("moto");
    String arn;
    try (MotoServer moto = MotoServer.start(null, "127.0.0.1", 0, dir.resolve("moto.log"), state);
        DynamoDbClient dynamo = AwsClients.dynamoDb(moto.endpoint());
        SecretsManagerClient secrets = AwsClients.secretsManager(moto.endpoint())) {
      dynamo.createTable(b -> b.tableName("t").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
              a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
          .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
      for (int i = 0; i < 20; i++) {
        put(dynamo, "p" + (i % 3), "s" + i);
      }
      arn = secrets.createSecret(b -> b.name("dev-secret").secretString("{\"current\":\"x\"}")).arn();
      assertEquals(Long.toString(moto.pid()), Files.readString(state.resolve(MotoPidFile.PID_FILE)).trim());
      ProcessHandle.of(moto.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no snapshot, only the log
      ProcessHandle.of(moto.pid()).ifPresent(h -> h.onExit().join());
    }
    try (MotoServer moto = MotoServer.start(null, "127.0.0.1", 0, dir.resolve("moto.log"), state);
        DynamoDbClient dynamo = AwsClients.dynamoDb(moto.endpoint());
        SecretsManagerClient secrets = AwsClients.secretsManager(moto.endpoint())) {
      assertEquals(List.of("s0", "s12", "s15", "s18", "s3", "s6", "s9"), sortKeys(dynamo, "p0"));
      assertEquals(arn, secrets.describeSecret(b -> b.secretId("dev-secret")).arn(), "the same secret, same ARN");
      // still one request at a time, conditions hold after the replay
      assertTrue(throwsConditionFailed(() -> dynamo.putItem(b -> b.tableName("t").item(item("p0", "s0"))
          .conditionExpression("attribute_not_exists(pk)"))));
      put(dynamo, "p0", "after-restart");
    } // clean stop: a snapshot
    assertTrue(Files.list(state).anyMatch(f -> f.getFileName().toString().startsWith("snapshot-")), "a snapshot on a clean stop");
    assertFalse(Files.exists(state.resolve(MotoPidFile.PID_FILE)), "no pidfile after a clean stop");
    try (MotoServer moto = MotoServer.start(null, "127.0.0.1", 0, dir.resolve("moto.log"), state);
        DynamoDbClient dynamo = AwsClients.dynamoDb(moto.endpoint())) {
      assertEquals(8, sortKeys(dynamo, "p0").size());
      assertEquals(20 + 1, dynamo.scan(b -> b.tableName("t")).count());
    }
  }

  @Test
  void aStartEndsTheServerACrashedRunLeftOnItsStateDirectoryButNoOtherProcess(@TempDir Path dir) throws Exception {
    Path state = Files.createDirectories(dir.resolve("moto")).toAbsolutePath();
    // as our server's: a long script first (past the 4,096 characters the JDK reports), then the marker and directory
    String script = "sleep 600; true # " + "x".repeat(6000);
    Process ours = new ProcessBuilder("sh", "-c", script, MotoPidFile.MARKER, state.toString()).start();
    Process stranger = new ProcessBuilder("sh", "-c", "sleep 600; true", "unrelated", state.toString()).start();
    try {
      Files.writeString(state.resolve(MotoPidFile.PID_FILE), stranger.pid() + "\n");
      MotoPidFile.reclaim(state);
      assertTrue(stranger.isAlive(), "a process that is not our server (a reused pid) is left alone");
      assertFalse(Files.exists(state.resolve(MotoPidFile.PID_FILE)), "the stale pidfile is gone");

      Files.writeString(state.resolve(MotoPidFile.PID_FILE), ours.pid() + "\n");
      MotoPidFile.reclaim(state);
      assertTrue(ours.waitFor(10, TimeUnit.SECONDS), "the server of the crashed run is ended");
    } finally {
      ours.destroyForcibly();
      stranger.destroyForcibly();
    }
  }

  private static void put(DynamoDbClient dynamo, String pk, String sk) {
    dynamo.putItem(b -> b.tableName("t").item(item(pk, sk)));
  }

  private static Map<String, AttributeValue> item(String pk, String sk) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
  }

  private static List<String> sortKeys(DynamoDbClient dynamo, String pk) {
    return dynamo.query(b -> b.tableName("t").keyConditionExpression("pk = :p")
        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pk)))).items().stream()
        .map(i -> i.get("sk").s()).toList();
  }

  private static boolean throwsConditionFailed(Runnable r) {
    try {
      r.run();
      return false;
    } catch (ConditionalCheckFailedException e) {
      return true;
    }
  }
}
