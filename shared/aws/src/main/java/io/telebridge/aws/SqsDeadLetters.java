package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Puts a message that can never succeed (bad input) on a FIFO dead-letter queue at once, with the
 * reason as attributes (no PHI), instead of letting it fail maxReceiveCount times. Same group id,
 * so a redrive keeps it in its patient's order.
 */
public final class SqsDeadLetters {

  private final SqsClient sqs;
  private final String dlqUrl;

  public SqsDeadLetters(SqsClient sqs, String dlqUrl) {
    this.sqs = sqs;
    this.dlqUrl = dlqUrl;
  }

  /**
   * @param deduplicationId stable per source message (its SQS message id), so a retry does not double it
   * @param attributes ids and the reason, copied as String attributes
   */
  public void send(String groupId, String deduplicationId, String body, Map<String, String> attributes) {
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    attributes.forEach((k, v) -> {
      if (v != null && !v.isEmpty()) {
        attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build());
      }
    });
    try {
      sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageGroupId(groupId).messageDeduplicationId(deduplicationId)
          .messageBody(body).messageAttributes(attrs));
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage (DLQ) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
