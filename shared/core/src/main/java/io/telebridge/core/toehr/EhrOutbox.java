package io.telebridge.core.toehr;

/** Port: the to-EHR FIFO queue. */
public interface EhrOutbox {

  /**
   * Sends durably, in call order per group.
   *
   * @param groupId the patient's message group
   * @throws io.telebridge.core.error.TransientException when the queue is unavailable
   */
  void send(String groupId, String eventId, OutboundMessage message);

  /**
   * Sends one message of {@code event}: adapters that can carry more than the ids (the tenant, the
   * event's time for the end-to-end latency; an outbox that stores large messages aside keys them by tenant) override this.
   */
  default void send(io.telebridge.core.model.PlatformEvent event, String groupId, OutboundMessage message) {
    send(groupId, event.eventId(), message);
  }
}
