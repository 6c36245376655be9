package io.telebridge.aws.dynamodb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of one DynamoDB request, set fluently under the API's own names (a subset: those the adapters
 * use), and the item operations of a transaction (a {@link TransactWriteItem} carries one). A field set to
 * null is not sent. Mutable: build one per call.
 */
public final class Request {

  /** Wire name → value (String, Boolean, Integer, Map of names or of attribute values), in setting order. */
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public static Request create() {
    return new Request();
  }

  private Request set(String name, Object value) {
    if (value == null) {
      fields.remove(name);
    } else {
      fields.put(name, value);
    }
    return this;
  }

  public Request tableName(String table) {
    return set("TableName", table);
  }

  public Request key(Map<String, AttributeValue> key) {
    return set("Key", key);
  }

  public Request item(Map<String, AttributeValue> item) {
    return set("Item", item);
  }

  public Request conditionExpression(String expression) {
    return set("ConditionExpression", expression);
  }

  public Request updateExpression(String expression) {
    return set("UpdateExpression", expression);
  }

  public Request keyConditionExpression(String expression) {
    return set("KeyConditionExpression", expression);
  }

  public Request filterExpression(String expression) {
    return set("FilterExpression", expression);
  }

  public Request projectionExpression(String expression) {
    return set("ProjectionExpression", expression);
  }

  public Request expressionAttributeNames(Map<String, String> names) {
    return set("ExpressionAttributeNames", names);
  }

  public Request expressionAttributeValues(Map<String, AttributeValue> values) {
    return set("ExpressionAttributeValues", values);
  }

  public Request consistentRead(Boolean consistent) {
    return set("ConsistentRead", consistent);
  }

  public Request limit(Integer limit) {
    return set("Limit", limit);
  }

  /** Null or empty: from the start. */
  public Request exclusiveStartKey(Map<String, AttributeValue> start) {
    return set("ExclusiveStartKey", start == null || start.isEmpty() ? null : start);
  }

  public Request indexName(String index) {
    return set("IndexName", index);
  }

  public Request scanIndexForward(Boolean forward) {
    return set("ScanIndexForward", forward);
  }

  /** NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW. */
  public Request returnValues(String returnValues) {
    return set("ReturnValues", returnValues);
  }

  /** ALL_OLD: a failed condition answers the item as it is ({@link ConditionalCheckFailedException#item()}). */
  public Request returnValuesOnConditionCheckFailure(String returnValues) {
    return set("ReturnValuesOnConditionCheckFailure", returnValues);
  }

  public String tableName() {
    return (String) fields.get("TableName");
  }

  public Map<String, AttributeValue> key() {
    return attributes("Key");
  }

  public Map<String, AttributeValue> item() {
    return attributes("Item");
  }

  public String conditionExpression() {
    return (String) fields.get("ConditionExpression");
  }

  public String updateExpression() {
    return (String) fields.get("UpdateExpression");
  }

  public String keyConditionExpression() {
    return (String) fields.get("KeyConditionExpression");
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> expressionAttributeNames() {
    return (Map<String, String>) fields.getOrDefault("ExpressionAttributeNames", Map.of());
  }

  public Map<String, AttributeValue> expressionAttributeValues() {
    return attributes("ExpressionAttributeValues");
  }

  public Map<String, AttributeValue> exclusiveStartKey() {
    return attributes("ExclusiveStartKey");
  }

  public Integer limit() {
    return (Integer) fields.get("Limit");
  }

  public String indexName() {
    return (String) fields.get("IndexName");
  }

  @SuppressWarnings("unchecked")
  private Map<String, AttributeValue> attributes(String name) {
    return (Map<String, AttributeValue>) fields.getOrDefault(name, Map.of());
  }

  /** The fields as set, by wire name (the client writes them as the request's JSON). */
  Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }

  @Override
  public String toString() {
    return "Request" + fields.keySet(); // names only: values may be PHI
  }
}
