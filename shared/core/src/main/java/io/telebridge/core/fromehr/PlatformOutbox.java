package io.telebridge.core.fromehr;

/**
 * Port: the to-platform queue. Group = {@link OutboundEvent#groupId()}, deduplication id = the
 * event id.
 *
 * @throws io.telebridge.core.error.TransientException when the queue is unavailable
 */
public interface PlatformOutbox {
  void send(OutboundEvent event);
}
