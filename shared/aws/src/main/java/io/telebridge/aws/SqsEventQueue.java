package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.intake.EventQueue;
import io.telebridge.core.intake.QueuedEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The intake queue on SQS FIFO: group = platform patient id (per-patient order), deduplication id
 * = event id. The routing facts ride as message attributes so consumers and operators can route
 * and triage without opening the body.
 */
public final class SqsEventQueue implements EventQueue {

  public static final String ATTR_EVENT_ID = "eventId";
  public static final String ATTR_EVENT_TYPE = "eventType";
  public static final String ATTR_TENANT = "tenant";
  public static final String ATTR_RECEIVED_AT = "receivedAt";

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsEventQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public String enqueue(QueuedEvent event) {
    SendMessageRequest request = SendMessageRequest.builder()
        .queueUrl(queueUrl)
        .messageGroupId(event.groupId())
        .messageDeduplicationId(event.deduplicationId())
        .messageBody(new String(event.body(), StandardCharsets.UTF_8))
        .messageAttributes(Map.of(
            ATTR_EVENT_ID, text(event.eventId()),
            ATTR_EVENT_TYPE, text(event.type()),
            ATTR_TENANT, text(event.tenant()),
            ATTR_RECEIVED_AT, text(event.receivedAt().toString())))
        .build();
    try {
      return sqs.sendMessage(request).messageId();
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
