package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.ShadowMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import tools.jackson.databind.json.JsonMapper;

/** The shadow table's keys and item (a table in memory behind a loopback HTTP peer; the real one is in ShadowModeIT). */
class DynamoDbShadowStoreTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** The table: pk#sk → the item as DynamoDB's JSON holds it ({"body":{"S":..}}). */
  private final Map<String, Map<String, Map<String, String>>> items = new TreeMap<>();
  private final List<String> queried = new ArrayList<>();
  private final LoopbackHttp table = answerAsATable();
  private final DynamoDb dynamo = new DynamoDb(new SignedHttp("dynamodb", "us-east-1", SignedHttp.Style.STANDARD,
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), UrlConnectionHttpClient.create(),
      Clock.systemUTC(), null), table.uri());

  @SuppressWarnings("unchecked")
  private LoopbackHttp answerAsATable() {
    try {
      return new LoopbackHttp().answer(request -> {
        Map<String, Object> body = JSON.readValue(request.body(), Map.class);
        if (request.header("X-Amz-Target").endsWith(".PutItem")) {
          Map<String, Map<String, String>> item = (Map<String, Map<String, String>>) body.get("Item");
          items.put(item.get("pk").get("S") + "#" + item.get("sk").get("S"), item);
          return LoopbackHttp.Answer.of(200, "{}");
        }
        String pk = ((Map<String, Map<String, String>>) body.get("ExpressionAttributeValues")).get(":pk").get("S");
        queried.add(pk);
        return new LoopbackHttp.Answer(200, JSON.writeValueAsBytes(Map.of("Items",
            items.values().stream().filter(i -> i.get("pk").get("S").equals(pk)).toList())));
      });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    table.close();
  }

  private final DynamoDbShadowStore store = new DynamoDbShadowStore(dynamo, "shadow", Duration.ofDays(30));
  private static final Instant T = Instant.parse("2026-12-07T23:59:00Z");

  @Test
  void keysCarryTheTenantTheSideAndTheDayAndTheTtlIsTheRetention() {
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.TELEBRIDGE, Flow.SCHEDULING, "SIU^S12", "S1", T, "MSH|1"));
    Map<String, Map<String, String>> item = items.get("acme|telebridge|2026-12-07#S1");
    assertEquals("MSH|1", item.get("body").get("S"));
    assertEquals(Long.toString(T.plus(Duration.ofDays(30)).getEpochSecond()), item.get("expiresAt").get("N"));
    // the same message again the same day replaces it
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.TELEBRIDGE, Flow.SCHEDULING, "SIU^S12", "S1", T, "MSH|1"));
    assertEquals(1, items.size());
  }

  @Test
  void readsOnlyTheTenantsDaysOfOneSideWithinThePeriod() {
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.EHR, Flow.SCHEDULING, "SIU^S12", "E1", T, "MSH|e"));
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.EHR, Flow.SCHEDULING, "SIU^S12", "E2",
        T.plusSeconds(120), "MSH|e2"));
    store.keep(new ShadowMessage("north", ShadowMessage.Side.EHR, Flow.SCHEDULING, "SIU^S12", "N1", T, "MSH|n"));
    List<ShadowMessage> got = store.kept("acme", ShadowMessage.Side.EHR, T.minusSeconds(60), T.plusSeconds(600));
    assertEquals(List.of("E1", "E2"), got.stream().map(ShadowMessage::id).toList());
    assertEquals(List.of("acme|ehr|2026-12-07", "acme|ehr|2026-12-08"), queried, "one Query per day, no Scan");
    assertEquals(List.of("E1"), store.kept("acme", ShadowMessage.Side.EHR, T.minusSeconds(60), T.plusSeconds(30))
        .stream().map(ShadowMessage::id).toList());
  }

  @Test
  void aBodyTooLargeForAnItemIsKeptWithoutIt() {
    String note = "MSH|" + "x".repeat(DynamoDbShadowStore.MAX_BODY_BYTES);
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.TELEBRIDGE, Flow.NOTE, "MDM^T02", "M1", T, note));
    Map<String, Map<String, String>> item = items.get("acme|telebridge|2026-12-07#M1");
    assertFalse(item.containsKey("body"));
    assertEquals(Integer.toString(note.length()), item.get("bodyBytes").get("N"));
    assertNull(store.kept("acme", ShadowMessage.Side.TELEBRIDGE, T.minusSeconds(1), T.plusSeconds(1)).get(0).body());
  }
}
