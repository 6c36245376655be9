package io.telebridge.mllp.listener;

/**
 * Where the listener makes what it received durable before it answers. Both calls return only once
 * the write is durable and throw (any RuntimeException) when it is not: the listener then sends no
 * ACK and closes the connection, and the EHR resends.
 */
public interface InboundStore {

  /** Puts the message on the from-EHR FIFO queue. */
  void enqueue(FromEhrMessage message);

  /** Keeps a refused frame in the quarantine queue with its reason. */
  void quarantine(QuarantinedFrame frame);
}
