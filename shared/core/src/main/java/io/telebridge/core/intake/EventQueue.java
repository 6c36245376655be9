package io.telebridge.core.intake;

/** Port: the durable queue accepted events go to (SQS FIFO in AWS). */
public interface EventQueue {

  /**
   * Sends the event and returns only once the queue has accepted it durably.
   *
   * @return the queue's message id
   * @throws io.telebridge.core.error.TransientException when the queue is unavailable
   */
  String enqueue(QueuedEvent event);
}
