package io.telebridge.core.toplatform;

import java.util.Map;

/** Port: the to-platform dead-letter queue, for events the platform refused for good. */
public interface DeadLetters {

  /**
   * Stores the event durably with the reason, in its message group.
   *
   * @param attributes ids, status and reason only (no patient data)
   * @throws io.telebridge.core.error.TransientException when the queue is unavailable
   */
  void send(PlatformDelivery delivery, Map<String, String> attributes);
}
