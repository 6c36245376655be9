package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.ConditionalCheckFailedException;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.Request;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.intake.IdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Idempotency records in DynamoDB, one item per key:
 * {@code pk, status (IN_PROGRESS|COMPLETED), bodyHash, token, leaseUntil (epoch ms), expiresAt (epoch s, the TTL attribute), messageId}.
 *
 * <p>A claim is one conditional PutItem that succeeds when no live record exists: none at all, one
 * past its retention (TTL deletion lags by up to days, so the condition checks it too), or an
 * unfinished claim whose lease lapsed. Release does not delete (the function needs no DeleteItem
 * permission): it ends the lease so the next claim wins.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {

  static final String CLAIM_CONDITION =
      "attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#status = :inProgress AND leaseUntil < :nowMillis)";
  static final String COMPLETE_CONDITION = "#token = :token";
  static final String RELEASE_CONDITION = "#token = :token AND #status = :inProgress";

  private static final String IN_PROGRESS = "IN_PROGRESS";
  private static final String COMPLETED = "COMPLETED";

  private final DynamoDb dynamo;
  private final String table;
  private final Duration lease;
  private final Duration retention;

  public DynamoDbIdempotencyStore(DynamoDb dynamo, String table, Duration lease, Duration retention) {
    this.dynamo = dynamo;
    this.table = table;
    this.lease = lease;
    this.retention = retention;
  }

  @Override
  public Claim claim(String key, String bodyHash, Instant now) {
    String token = UUID.randomUUID().toString();
    Request put = Request.create()
        .tableName(table)
        .item(Map.of(
            "pk", s(key),
            "status", s(IN_PROGRESS),
            "bodyHash", s(bodyHash),
            "token", s(token),
            "leaseUntil", n(now.plus(lease).toEpochMilli()),
            "expiresAt", n(now.plus(retention).getEpochSecond())))
        .conditionExpression(CLAIM_CONDITION)
        .expressionAttributeNames(Map.of("#status", "status"))
        .expressionAttributeValues(Map.of(
            ":nowSeconds", n(now.getEpochSecond()),
            ":nowMillis", n(now.toEpochMilli()),
            ":inProgress", s(IN_PROGRESS)))
        .returnValuesOnConditionCheckFailure("ALL_OLD")
        ;
    try {
      dynamo.putItem(put);
      return new Claim.Claimed(token);
    } catch (ConditionalCheckFailedException taken) {
      Map<String, AttributeValue> old = taken.item();
      if (old != null && COMPLETED.equals(text(old, "status"))) {
        return new Claim.Completed(text(old, "bodyHash"));
      }
      long leaseUntil = old != null && old.containsKey("leaseUntil")
          ? Long.parseLong(old.get("leaseUntil").n())
          : now.plus(lease).toEpochMilli();
      return new Claim.InProgress(Instant.ofEpochMilli(leaseUntil));
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB PutItem (claim) failed (" + e.code() + ")", e);
    }
  }

  @Override
  public void complete(String key, String token, String messageId, Instant now) {
    update(key, "SET #status = :completed, messageId = :messageId, completedAt = :now REMOVE leaseUntil",
        COMPLETE_CONDITION, Map.of(
            ":completed", s(COMPLETED),
            ":messageId", s(messageId),
            ":now", n(now.getEpochSecond()),
            ":token", s(token)),
        Map.of("#status", "status", "#token", "token"));
  }

  @Override
  public void release(String key, String token) {
    update(key, "SET leaseUntil = :zero", RELEASE_CONDITION, Map.of(
            ":zero", n(0),
            ":token", s(token),
            ":inProgress", s(IN_PROGRESS)),
        Map.of("#status", "status", "#token", "token"));
  }

  private void update(String key, String expression, String condition,
      Map<String, AttributeValue> values, Map<String, String> names) {
    try {
      dynamo.updateItem(Request.create()
          .tableName(table)
          .key(Map.of("pk", s(key)))
          .updateExpression(expression)
          .conditionExpression(condition)
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          );
    } catch (ConditionalCheckFailedException lost) {
      // the claim is no longer ours (its lease lapsed and another request took it): nothing to do
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB UpdateItem failed (" + e.code() + ")", e);
    }
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }
}
