package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.ShadowMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The shadow table's keys and item (a table in memory behind the client; the real one is in ShadowModeIT). */
class DynamoDbShadowStoreTest {

  private final Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
  private final List<String> queried = new ArrayList<>();
  private final DynamoDbClient dynamo = new DynamoDbClient() {
    @Override
    public PutItemResponse putItem(PutItemRequest r) {
      items.put(r.item().get("pk").s() + "#" + r.item().get("sk").s(), r.item());
      return PutItemResponse.builder().build();
    }

    @Override
    public QueryResponse query(QueryRequest r) {
      String pk = r.expressionAttributeValues().get(":pk").s();
      queried.add(pk);
      return QueryResponse.builder().items(items.values().stream().filter(i -> i.get("pk").s().equals(pk)).toList())
          .build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  };
  private final DynamoDbShadowStore store = new DynamoDbShadowStore(dynamo, "shadow", Duration.ofDays(30));
  private static final Instant T = Instant.parse("2026-12-07T23:59:00Z");

  @Test
  void keysCarryTheTenantTheSideAndTheDayAndTheTtlIsTheRetention() {
    store.keep(new ShadowMessage("acme", ShadowMessage.Side.TELEBRIDGE, Flow.SCHEDULING, "SIU^S12", "S1", T, "MSH|1"));
    Map<String, AttributeValue> item = items.get("acme|telebridge|2026-12-07#S1");
    assertEquals("MSH|1", item.get("body").s());
    assertEquals(Long.toString(T.plus(Duration.ofDays(30)).getEpochSecond()), item.get("expiresAt").n());
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
    Map<String, AttributeValue> item = items.get("acme|telebridge|2026-12-07#M1");
    assertFalse(item.containsKey("body"));
    assertEquals(Integer.toString(note.length()), item.get("bodyBytes").n());
    assertNull(store.kept("acme", ShadowMessage.Side.TELEBRIDGE, T.minusSeconds(1), T.plusSeconds(1)).get(0).body());
  }
}
