package io.telebridge.aws;

import io.telebridge.aws.dynamodb.AttributeValue;
import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.aws.dynamodb.DynamoDbException;
import io.telebridge.aws.dynamodb.Result;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.FlowMode;
import io.telebridge.core.switches.FlowSwitch;
import io.telebridge.core.switches.FlowSwitches;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flow switch table: one item per switched flow, {@code tenant} (hash key) and {@code flow} (range
 * key), with {@code mode} ({@code on|off|shadow}), {@code updatedAt} and {@code updatedBy}. One Query
 * (consistent) reads a tenant's switches; an item whose flow or mode this version does not know is
 * skipped (a newer deployment's flow). No PHI.
 */
public final class DynamoDbFlowSwitches implements FlowSwitches {

  private final DynamoDb dynamo;
  private final String table;

  public DynamoDbFlowSwitches(DynamoDb dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public List<FlowSwitch> of(String tenant) {
    List<FlowSwitch> out = new ArrayList<>();
    try {
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        Result page = dynamo.query(b -> b.tableName(table).keyConditionExpression("tenant = :t")
            .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant))).consistentRead(true)
            .exclusiveStartKey(from));
        for (Map<String, AttributeValue> item : page.items()) {
          try {
            out.add(new FlowSwitch(tenant, Flow.fromWire(item.get("flow").s()), FlowMode.fromWire(item.get("mode").s()),
                item.containsKey("updatedAt") ? Instant.parse(item.get("updatedAt").s()) : null,
                item.containsKey("updatedBy") ? item.get("updatedBy").s() : null));
          } catch (RuntimeException unknown) {
            // a flow or mode this version does not know: not ours to act on
          }
        }
        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      } while (start != null);
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB Query (flow switches) failed (" + e.code() + ")", e);
    }
    return out;
  }

  @Override
  public void set(FlowSwitch s) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("tenant", AttributeValue.fromS(s.tenant()));
    item.put("flow", AttributeValue.fromS(s.flow().wire()));
    item.put("mode", AttributeValue.fromS(s.mode().wire()));
    if (s.updatedAt() != null) {
      item.put("updatedAt", AttributeValue.fromS(s.updatedAt().toString()));
    }
    if (s.updatedBy() != null) {
      item.put("updatedBy", AttributeValue.fromS(s.updatedBy()));
    }
    try {
      dynamo.putItem(b -> b.tableName(table).item(item));
    } catch (DynamoDbException e) {
      throw new TransientException("DynamoDB PutItem (flow switches) failed (" + e.code() + ")", e);
    }
  }
}
