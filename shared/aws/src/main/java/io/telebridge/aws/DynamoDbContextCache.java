package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.ConditionalCheckFailedException;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.core.context.ContextCache;
import io.telebridge.core.context.PatientContext;
import io.telebridge.core.error.TransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link ContextCache} port in DynamoDB, one item per tenant and platform patient:
 * {@code pk = CTX#<tenant>#<platform patient id>}, {@code document} (the context JSON: PHI, the table
 * is encrypted with the stack's data key), {@code version}, {@code fetchedAt} (epoch ms),
 * {@code expiresAt} (epoch s, the TTL attribute). A write only replaces an older version (a late,
 * slower pull never overwrites a newer one). Fresh means fetched within {@code maxAge}: checked on
 * read, since TTL deletion lags.
 */
public final class DynamoDbContextCache implements ContextCache {

  static final String NEWER_ONLY = "attribute_not_exists(pk) OR #version < :version";

  private final DynamoDb dynamo;
  private final String table;
  private final Duration maxAge;
  private final Function<PatientContext, String> document;

  /** @param document the context as the JSON document the platform reads */
  public DynamoDbContextCache(DynamoDb dynamo, String table, Duration maxAge,
      Function<PatientContext, String> document) {
    this.dynamo = dynamo;
    this.table = table;
    this.maxAge = maxAge;
    this.document = document;
  }

  static Map<String, AttributeValue> key(String tenant, String platformPatientId) {
    return Map.of("pk", AttributeValue.fromS("CTX#" + tenant + "#" + platformPatientId));
  }

  @Override
  public Optional<String> fresh(String tenant, String platformPatientId, Instant now) {
    Map<String, AttributeValue> item;
    try {
      item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, platformPatientId)).consistentRead(true)).item();
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB GetItem (context cache) failed (" + e.code() + ")", e);
    }
    if (item == null || item.isEmpty() || item.get("fetchedAt") == null || item.get("document") == null) {
      return Optional.empty();
    }
    Instant fetchedAt = Instant.ofEpochMilli(Long.parseLong(item.get("fetchedAt").n()));
    return fetchedAt.isBefore(now.minus(maxAge)) ? Optional.empty() : Optional.of(item.get("document").s());
  }

  @Override
  public void put(PatientContext context) {
    Instant fetchedAt = context.provenance().fetchedAt();
    Map<String, AttributeValue> item = new java.util.HashMap<>(key(context.tenant(), context.platformPatientId()));
    item.put("document", AttributeValue.fromS(document.apply(context)));
    item.put("version", AttributeValue.fromN(Long.toString(context.version())));
    item.put("fetchedAt", AttributeValue.fromN(Long.toString(fetchedAt.toEpochMilli())));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(fetchedAt.plus(maxAge).getEpochSecond() + 3600)));
    try {
      dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(NEWER_ONLY)
          .expressionAttributeNames(Map.of("#version", "version"))
          .expressionAttributeValues(Map.of(":version", AttributeValue.fromN(Long.toString(context.version())))));
    } catch (ConditionalCheckFailedException newer) {
      // a later pull is cached already
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB PutItem (context cache) failed (" + e.code() + ")", e);
    }
  }
}
