package io.telebridge.local.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test handler for SQS event sources: records every record it gets (in a static list the tests
 * read) and reports as failed the bodies that start with {@code poison} (always) or
 * {@code fail-once} (on the first receive).
 */
public class RecordingSqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  /** One delivered record. */
  public record Delivery(String messageId, String body, String groupId, int receiveCount,
      Map<String, String> attributes, Map<String, String> messageAttributes, String eventSourceArn,
      String eventSource, String awsRegion, String md5OfBody, int batchSize) {}

  public static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
  public static final List<Map<String, String>> ENVIRONMENTS = new CopyOnWriteArrayList<>();

  public RecordingSqsHandler(Map<String, String> environment) {
    ENVIRONMENTS.add(Map.copyOf(environment));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    int size = event.getRecords().size();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      int receiveCount = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
      Map<String, String> attrs = new java.util.TreeMap<>();
      m.getMessageAttributes().forEach((k, v) -> attrs.put(k, v.getDataType() + ":" + v.getStringValue()));
      DELIVERIES.add(new Delivery(m.getMessageId(), m.getBody(), m.getAttributes().get("MessageGroupId"),
          receiveCount, Map.copyOf(m.getAttributes()), attrs, m.getEventSourceArn(), m.getEventSource(),
          m.getAwsRegion(), m.getMd5OfBody(), size));
      boolean fail = m.getBody().startsWith("poison") || (m.getBody().startsWith("fail-once") && receiveCount == 1);
      if (fail) {
        failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }
}
