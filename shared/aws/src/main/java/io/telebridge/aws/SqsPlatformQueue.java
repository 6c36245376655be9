package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The to-platform FIFO queue: body = the event JSON exactly as the platform will receive it,
 * group = {@code <tenant>:<platform patient id>}, deduplication id = the event id, attributes
 * {@code eventId}, {@code eventType}, {@code tenant}.
 */
public final class SqsPlatformQueue {

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsPlatformQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  public void send(String groupId, String eventId, String eventType, String tenant, String body) {
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl)
          .messageGroupId(groupId)
          .messageDeduplicationId(eventId)
          .messageBody(body)
          .messageAttributes(Map.of(
              "eventId", text(eventId),
              "eventType", text(eventType),
              "tenant", text(tenant))));
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage (to-platform) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static MessageAttributeValue text(String v) {
    return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
  }
}
