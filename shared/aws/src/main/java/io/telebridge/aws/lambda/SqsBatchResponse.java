package io.telebridge.aws.lambda;

import java.util.List;

/**
 * The answer of an SQS function with ReportBatchItemFailures: the message ids to hand back
 * ({@code batchItemFailures[].itemIdentifier}); empty: the whole batch is done.
 */
public record SqsBatchResponse(List<String> batchItemFailures) {

  public SqsBatchResponse {
    batchItemFailures = batchItemFailures == null ? List.of() : List.copyOf(batchItemFailures);
  }
}
