package io.telebridge.core.context;

import java.util.Map;

/**
 * Port: the context function's dead-letter queue, for a pull that failed after its retries: the
 * request (ids only) with the reason.
 *
 * @throws io.telebridge.core.error.TransientException when the queue is unavailable
 */
public interface ContextDeadLetters {
  void send(ContextRequest request, Map<String, String> reason);
}
