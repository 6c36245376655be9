package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.WriteRequest;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.journal.ArchivedMessage;
import io.telebridge.core.journal.ReplayArchive;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replay archive table (PHI, encrypted): one item per queued message, {@code pk =
 * <tenant>|<subject>}, with {@code groupId}, {@code body}, {@code attrs} (a map) and {@code expiresAt}
 * (TTL: the journal's retention). {@link #keep} writes a translation's messages with BatchWriteItem
 * (up to 25 per call; unprocessed items are retried once, then the call fails).
 */
public final class DynamoDbReplayArchive implements ReplayArchive {

  private final DynamoDb dynamo;
  private final String table;
  private final Duration retention;
  private final Clock clock;

  public DynamoDbReplayArchive(DynamoDb dynamo, String table, Duration retention, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = retention;
    this.clock = clock;
  }

  /** None without a table name. */
  public static ReplayArchive of(DynamoDb dynamo, String table, Duration retention, Clock clock) {
    return table == null || table.isBlank() ? ReplayArchive.NONE : new DynamoDbReplayArchive(dynamo, table, retention, clock);
  }

  @Override
  public void keep(List<ArchivedMessage> messages) {
    long expires = clock.instant().plus(retention).getEpochSecond();
    try {
      for (int from = 0; from < messages.size(); from += 25) {
        List<WriteRequest> writes = new ArrayList<>();
        for (ArchivedMessage m : messages.subList(from, Math.min(messages.size(), from + 25))) {
          Map<String, AttributeValue> item = new HashMap<>();
          item.put("pk", AttributeValue.fromS(m.tenant() + "|" + m.subject()));
          item.put("tenant", AttributeValue.fromS(m.tenant()));
          item.put("subject", AttributeValue.fromS(m.subject()));
          item.put("groupId", AttributeValue.fromS(m.groupId()));
          item.put("body", AttributeValue.fromS(m.body()));
          Map<String, AttributeValue> attrs = new HashMap<>();
          m.attributes().forEach((k, v) -> attrs.put(k, AttributeValue.fromS(v)));
          item.put("attrs", AttributeValue.fromM(attrs));
          item.put("expiresAt", AttributeValue.fromN(Long.toString(expires)));
          writes.add(WriteRequest.put(item));
        }
        var left = dynamo.batchWriteItem(Map.of(table, writes)).unprocessedItems();
        if (left != null && !left.isEmpty()) {
          Map<String, List<WriteRequest>> retry = left;
          left = dynamo.batchWriteItem(retry).unprocessedItems();
          if (left != null && !left.isEmpty()) {
            throw new TransientException("DynamoDB BatchWriteItem (replay archive) left items unprocessed", null);
          }
        }
      }
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB BatchWriteItem (replay archive) failed (" + e.code()
          + ")", e);
    }
  }

  @Override
  public Optional<ArchivedMessage> find(String tenant, String subject) {
    Map<String, AttributeValue> item;
    try {
      item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(tenant + "|" + subject)))
          .consistentRead(true)).item();
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB GetItem (replay archive) failed (" + e.code() + ")", e);
    }
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    if (item.containsKey("attrs")) {
      item.get("attrs").m().forEach((k, v) -> attrs.put(k, v.s()));
    }
    return Optional.of(new ArchivedMessage(tenant, subject, item.get("groupId").s(), item.get("body").s(), attrs));
  }
}
