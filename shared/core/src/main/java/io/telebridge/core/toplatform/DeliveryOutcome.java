package io.telebridge.core.toplatform;

import java.time.Duration;

/** What became of one delivery attempt; the handler maps it to SQS (delete, or fail and delay). */
public sealed interface DeliveryOutcome {

  /** The platform answered 2xx: done, delete the message. */
  record Delivered(int status) implements DeliveryOutcome {}

  /** The platform refused the event for good (4xx other than 408/429): it is on the DLQ; delete it. */
  record DeadLettered(int status, String reason) implements DeliveryOutcome {}

  /**
   * Try again after {@code delay} (the message stays on the queue, invisible until then; after the
   * queue's maxReceiveCount its redrive policy moves it to the DLQ).
   *
   * @param status the platform's status, or 0 when there was no answer
   * @param reason ids-free explanation for the log, e.g. {@code status 503} or {@code ConnectException}
   */
  record RetryLater(Duration delay, int status, String reason) implements DeliveryOutcome {}
}
