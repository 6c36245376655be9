package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.Result;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.ShadowMessage;
import io.telebridge.core.switches.ShadowStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shadow table (PHI: the HL7 held back and the EHR's messages; KMS-encrypted, TTL): {@code pk =
 * <tenant>|<side>|<UTC day>}, {@code sk = <MSH-10 or event id>}, with {@code flow}, {@code type},
 * {@code at}, {@code body} and {@code expiresAt} (the message's time plus SHADOW_RETENTION_DAYS). A
 * report queries one tenant's days only (no Scan). A redelivered message the same day writes the same
 * key. A body over {@value #MAX_BODY_BYTES} bytes (a long note; DynamoDB's item limit is 400 KB) is
 * kept without its body ({@code bodyBytes} only): such a flow has nothing the listener brings back to
 * compare with anyway.
 */
public final class DynamoDbShadowStore implements ShadowStore {

  static final int MAX_BODY_BYTES = 300 * 1024;
  /** The most days one report reads (one Query each). */
  static final int MAX_DAYS = 92;

  private final DynamoDb dynamo;
  private final String table;
  private final Duration retention;

  public DynamoDbShadowStore(DynamoDb dynamo, String table, Duration retention) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = retention;
  }

  static String pk(String tenant, ShadowMessage.Side side, LocalDate day) {
    return tenant + "|" + side.wire() + "|" + day;
  }

  @Override
  public void keep(ShadowMessage m) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk(m.tenant(), m.side(), LocalDate.ofInstant(m.at(), ZoneOffset.UTC))));
    item.put("sk", AttributeValue.fromS(m.id()));
    item.put("tenant", AttributeValue.fromS(m.tenant()));
    item.put("flow", AttributeValue.fromS(m.flow().wire()));
    item.put("type", AttributeValue.fromS(m.type() == null ? "" : m.type()));
    item.put("at", AttributeValue.fromS(m.at().toString()));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(m.at().plus(retention).getEpochSecond())));
    int bytes = m.body() == null ? 0 : m.body().getBytes(StandardCharsets.UTF_8).length;
    item.put("bodyBytes", AttributeValue.fromN(Integer.toString(bytes)));
    if (m.body() != null && bytes <= MAX_BODY_BYTES) {
      item.put("body", AttributeValue.fromS(m.body()));
    }
    try {
      dynamo.putItem(b -> b.tableName(table).item(item));
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB PutItem (shadow) failed (" + e.code() + ")", e);
    }
  }

  @Override
  public List<ShadowMessage> kept(String tenant, ShadowMessage.Side side, Instant since, Instant until) {
    LocalDate first = LocalDate.ofInstant(since, ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(until, ZoneOffset.UTC);
    if (first.plusDays(MAX_DAYS).isBefore(last)) {
      first = last.minusDays(MAX_DAYS);
    }
    List<ShadowMessage> out = new ArrayList<>();
    try {
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        String pk = pk(tenant, side, day);
        Map<String, AttributeValue> start = null;
        do {
          Map<String, AttributeValue> from = start;
          Result page = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))).exclusiveStartKey(from));
          for (Map<String, AttributeValue> item : page.items()) {
            Instant at = Instant.parse(item.get("at").s());
            Flow flow;
            try {
              flow = Flow.fromWire(item.get("flow").s());
            } catch (IllegalArgumentException unknown) {
              continue;
            }
            if (!at.isBefore(since) && !at.isAfter(until)) {
              out.add(new ShadowMessage(tenant, side, flow, item.get("type").s(), item.get("sk").s(), at,
                  item.containsKey("body") ? item.get("body").s() : null));
            }
          }
          start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
      }
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB Query (shadow) failed (" + e.code() + ")", e);
    }
    out.sort(Comparator.comparing(ShadowMessage::at));
    return out;
  }
}
