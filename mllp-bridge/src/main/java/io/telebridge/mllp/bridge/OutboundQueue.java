package io.telebridge.mllp.bridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The to-EHR queue as the bridge sees it (a port: {@link SqsOutboundQueue} on AWS and ElasticMQ).
 * Failures are unchecked (the SDK's); the bridge stops the batch on any of them.
 */
public interface OutboundQueue {

  /** Up to {@code max} messages, waiting up to {@code wait}; they stay ours for {@code visibility}. */
  List<QueuedMessage> receive(int max, Duration wait, Duration visibility);

  /** Removes delivered messages (ACKed AA/CA). */
  void delete(List<QueuedMessage> messages);

  /** Gives a message back: visible again after {@code delay} (zero: at once). Its group waits for it. */
  void retryAfter(QueuedMessage message, Duration delay);

  /**
   * Sends the message to the dead-letter queue (same body and group, the given attributes), then
   * deletes it from this queue. Deduplicated by the source message id, so repeating the call after
   * a failure between the two steps does not double it (within SQS's 5-minute window).
   */
  void deadLetter(QueuedMessage message, Map<String, String> attributes);
}
