package io.telebridge.aws.lambda;

import java.util.List;

/** An SQS event: the batch's records in the order SQS handed them over (never null). */
public record SqsEvent(List<SqsMessage> records) {

  public SqsEvent {
    records = records == null ? List.of() : List.copyOf(records);
  }

  public static SqsEvent of(SqsMessage... records) {
    return new SqsEvent(List.of(records));
  }
}
