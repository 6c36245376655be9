package io.telebridge.aws.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operation answered, read from its JSON: the item (GetItem), the items and the last evaluated key
 * (Query), the attributes (ReturnValues), the unprocessed writes (BatchWriteItem). An absent part is empty.
 */
public final class Result {

  private final Map<String, Object> body;

  Result(Map<String, Object> body) {
    this.body = body;
  }

  /** GetItem's item; empty when there is none. */
  public Map<String, AttributeValue> item() {
    return Wire.item(body.get("Item"));
  }

  /** Query's items of this page. */
  public List<Map<String, AttributeValue>> items() {
    Object items = body.get("Items");
    if (!(items instanceof List<?> list)) {
      return List.of();
    }
    List<Map<String, AttributeValue>> out = new ArrayList<>(list.size());
    for (Object i : list) {
      out.add(Wire.item(i));
    }
    return out;
  }

  public int count() {
    return body.get("Count") instanceof Number n ? n.intValue() : items().size();
  }

  /** Where the next page starts; empty on the last page. */
  public Map<String, AttributeValue> lastEvaluatedKey() {
    return Wire.item(body.get("LastEvaluatedKey"));
  }

  public boolean hasLastEvaluatedKey() {
    return !lastEvaluatedKey().isEmpty();
  }

  /** The attributes ReturnValues asked for (PutItem, UpdateItem). */
  public Map<String, AttributeValue> attributes() {
    return Wire.item(body.get("Attributes"));
  }

  /** BatchWriteItem's writes not done (throttled): send them again. Empty when all were done. */
  public Map<String, List<WriteRequest>> unprocessedItems() {
    Object unprocessed = body.get("UnprocessedItems");
    if (!(unprocessed instanceof Map<?, ?> tables)) {
      return Map.of();
    }
    Map<String, List<WriteRequest>> out = new LinkedHashMap<>();
    tables.forEach((table, writes) -> {
      List<WriteRequest> list = new ArrayList<>();
      for (Object w : (List<?>) writes) {
        Map<?, ?> write = (Map<?, ?>) w;
        if (write.get("PutRequest") instanceof Map<?, ?> put) {
          list.add(WriteRequest.put(Wire.item(put.get("Item"))));
        } else if (write.get("DeleteRequest") instanceof Map<?, ?> delete) {
          list.add(WriteRequest.delete(Wire.item(delete.get("Key"))));
        }
      }
      if (!list.isEmpty()) {
        out.put((String) table, list);
      }
    });
    return out;
  }

  /** DescribeTable's table status ({@code ACTIVE}...), null for other operations. */
  public String tableStatus() {
    return body.get("Table") instanceof Map<?, ?> table ? (String) table.get("TableStatus") : null;
  }
}
