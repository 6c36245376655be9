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
}
