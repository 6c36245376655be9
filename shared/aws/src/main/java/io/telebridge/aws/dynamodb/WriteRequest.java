package io.telebridge.aws.dynamodb;

import java.util.Map;

/** One write of a BatchWriteItem: a PutRequest (the item) or a DeleteRequest (the key). */
public record WriteRequest(Map<String, AttributeValue> putItem, Map<String, AttributeValue> deleteKey) {

  public static WriteRequest put(Map<String, AttributeValue> item) {
    return new WriteRequest(item, null);
  }

  public static WriteRequest delete(Map<String, AttributeValue> key) {
    return new WriteRequest(null, key);
  }

  @Override
  public String toString() {
    return putItem != null ? "WriteRequest[put]" : "WriteRequest[delete]";
  }
}
