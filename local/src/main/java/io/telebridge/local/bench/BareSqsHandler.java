package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;

/**
 * The cold-start baseline for SQS-triggered functions: takes the batch and reports no failures
 * (an empty {@code SQSBatchResponse}). Same probe, same classpath as the real handler; the
 * difference between the two is what the function's own code and dependencies cost.
 */
public final class BareSqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
  }
}
