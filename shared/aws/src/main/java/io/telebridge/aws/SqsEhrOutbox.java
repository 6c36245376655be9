package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.toehr.EhrOutbox;
import io.telebridge.core.toehr.OutboundMessage;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The to-EHR FIFO queue. Body = the HL7 message; deduplication id = its control id (MSH-10), so
 * a redelivered event's messages are not queued twice; attributes carry the ids the MLLP bridge
 * and operators route and triage on.
 */
public final class SqsEhrOutbox implements EhrOutbox {

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsEhrOutbox(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void send(String groupId, String eventId, OutboundMessage message) {
    send(groupId, message, Map.of(
        "controlId", text(message.controlId()),
        "messageType", text(message.messageType()),
        "eventId", text(eventId)));
  }

  /** With {@code tenant} and {@code occurredAt} too: the bridge journals per tenant and measures webhook → ACK. */
  @Override
  public void send(io.telebridge.core.model.PlatformEvent event, String groupId, OutboundMessage message) {
    send(groupId, message, Map.of(
        "controlId", text(message.controlId()),
        "messageType", text(message.messageType()),
        "eventId", text(event.eventId()),
        "tenant", text(event.tenant()),
        "occurredAt", text(String.valueOf(event.occurredAt()))));
  }

  private void send(String groupId, OutboundMessage message, Map<String, MessageAttributeValue> attributes) {
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl)
          .messageGroupId(groupId)
          .messageDeduplicationId(message.controlId())
          .messageBody(message.payload())
          .messageAttributes(attributes));
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage (to-EHR) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static MessageAttributeValue text(String v) {
    return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
  }
}
