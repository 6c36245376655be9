package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ChangeMessageVisibility on one queue: how an SQS-triggered function says "try this message again
 * in N seconds" (a failed batch item otherwise waits for the queue's whole visibility timeout), or
 * "now" (0) for records of a batch it did not attempt.
 */
public final class SqsMessageVisibility {

  /** SQS's upper bound for a visibility timeout: 12 hours. */
  public static final Duration MAX = Duration.ofHours(12);

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsMessageVisibility(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** The message becomes visible (receivable) again after {@code delay} (whole seconds, 0..12 h). */
  public void visibleAfter(String receiptHandle, Duration delay) {
    long seconds = Math.clamp(delay.toSeconds(), 0, MAX.toSeconds());
    try {
      sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
    } catch (SdkException e) {
      throw new TransientException("SQS ChangeMessageVisibility failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
