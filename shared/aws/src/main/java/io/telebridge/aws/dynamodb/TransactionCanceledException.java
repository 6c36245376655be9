package io.telebridge.aws.dynamodb;

import java.util.List;
import java.util.Map;

/** TransactWriteItems was cancelled; one reason per item operation, in request order. */
public final class TransactionCanceledException extends DynamoDbException {

  /** Why one item operation was cancelled: {@code None}, {@code ConditionalCheckFailed}, {@code TransactionConflict}... */
  public record CancellationReason(String code, Map<String, AttributeValue> item) {
    @Override
    public String toString() {
      return "CancellationReason[" + code + "]";
    }
  }

  private final transient List<CancellationReason> reasons;

  public TransactionCanceledException(String operation, int status, String awsMessage,
      List<CancellationReason> reasons) {
    super(operation, "TransactionCanceledException", status, awsMessage);
    this.reasons = List.copyOf(reasons);
  }

  public List<CancellationReason> cancellationReasons() {
    return reasons;
  }

  public boolean hasCancellationReasons() {
    return !reasons.isEmpty();
  }
}
