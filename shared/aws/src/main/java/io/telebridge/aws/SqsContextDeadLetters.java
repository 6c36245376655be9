package io.telebridge.aws;

import io.telebridge.core.context.ContextDeadLetters;
import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.error.TransientException;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The context function's dead-letter queue (standard SQS, as Lambda's and the scheduler's DLQs must
 * be): a pull that failed after its retries, as its request (ids only) with the reason as attributes
 * ({@code reason}, {@code errorClass}, {@code detail}; no PHI). {@code ./tb redrive} is not for it: a
 * pull is repeated by asking again.
 */
public final class SqsContextDeadLetters implements ContextDeadLetters {

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsContextDeadLetters(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void send(ContextRequest request, Map<String, String> reason) {
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    Map<String, String> all = new LinkedHashMap<>(reason);
    all.put("tenant", request.tenant());
    all.put("failedStage", "context");
    all.forEach((k, v) -> {
      if (v != null && !v.isEmpty()) {
        attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v.length() > 1024 ? v.substring(0, 1024) : v).build());
      }
    });
    tools.jackson.databind.node.ObjectNode body = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
    body.put("tenant", request.tenant());
    body.put("patientId", request.platformPatientId());
    if (request.appointmentId() != null) {
      body.put("appointmentId", request.appointmentId());
    }
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body.toString()).messageAttributes(attrs));
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage (context DLQ) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
