package io.telebridge.aws.dynamodb;

import java.util.Map;

/** A condition expression was false. {@link #item()}: the item as it is, when the request asked ALL_OLD. */
public final class ConditionalCheckFailedException extends DynamoDbException {

  private final transient Map<String, AttributeValue> item;

  public ConditionalCheckFailedException(String operation, int status, String awsMessage,
      Map<String, AttributeValue> item) {
    super(operation, "ConditionalCheckFailedException", status, awsMessage);
    this.item = item;
  }

  /** The item when the request set ReturnValuesOnConditionCheckFailure=ALL_OLD (and one existed), else null. */
  public Map<String, AttributeValue> item() {
    return item;
  }
}
