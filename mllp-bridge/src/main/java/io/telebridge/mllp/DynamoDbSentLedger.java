package io.telebridge.mllp;

import io.telebridge.aws.AwsClients;
import io.telebridge.aws.AwsSettings;
import io.telebridge.mllp.bridge.SentLedger;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.ConditionalCheckFailedException;

/**
 * The sent ledger in the idempotency table (SENT_LEDGER_TABLE), one item per accepted message:
 * {@code pk = sent|<tenant>|<MSH-10>} (the intake's keys are {@code <tenant>/<eventId>}: no clash),
 * {@code expiresAt} (epoch s, the table's TTL attribute). Written with a conditional PutItem (the first
 * acceptance stays), read with a consistent GetItem; an item past {@code expiresAt} counts as absent (TTL
 * deletion lags). No PHI: tenant ids and control ids only.
 */
public final class DynamoDbSentLedger implements SentLedger {

  /** How long an accepted MSH-10 is remembered: the intake's idempotency default (168 h), far past any backlog seen. */
  public static final Duration RETENTION = Duration.ofDays(7);
  static final String PREFIX = "sent|";

  private final DynamoDb dynamo;
  private final String table;
  private final Clock clock;

  public DynamoDbSentLedger(DynamoDb dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** SENT_LEDGER_TABLE from the task's environment; unset: {@link SentLedger#NONE}. */
  public static SentLedger fromEnvironment(Map<String, String> env, AwsSettings aws) {
    String table = env.getOrDefault("SENT_LEDGER_TABLE", "").trim();
    if (table.isEmpty()) {
      return SentLedger.NONE;
    }
    return new DynamoDbSentLedger(AwsClients.shared(aws).dynamoDb(), table, Clock.systemUTC());
  }

  static String key(String tenant, String controlId) {
    return PREFIX + tenant + "|" + controlId;
  }

  @Override
  public boolean accepted(String tenant, String controlId) {
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
        .key(Map.of("pk", AttributeValue.fromS(key(tenant, controlId))))
        .projectionExpression("expiresAt")).item();
    if (item == null || item.isEmpty()) {
      return false;
    }
    AttributeValue expires = item.get("expiresAt");
    return expires == null || Long.parseLong(expires.n()) >= clock.instant().getEpochSecond();
  }

  @Override
  public void recordAccepted(String tenant, String controlId) {
    long now = clock.instant().getEpochSecond();
    try {
      dynamo.putItem(b -> b.tableName(table)
          .item(Map.of("pk", AttributeValue.fromS(key(tenant, controlId)),
              "expiresAt", AttributeValue.fromN(Long.toString(now + RETENTION.toSeconds()))))
          .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now")
          .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
    } catch (ConditionalCheckFailedException alreadyThere) {
      // accepted before (a replay, or a resend after a lost delete): the first acceptance stands
    }
  }
}
