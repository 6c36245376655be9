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

  /**
   * A frame started arriving on this thread: its {@link #enqueue} may follow shortly, so a store that
   * groups writes may wait a moment for it. Hint only; the default ignores it.
   */
  default void frameStarted() {}

  /** This thread's frame is handled (enqueued, refused or lost): nobody need wait for it any more. */
  default void frameEnded() {}

  /** This thread's connection closed: no more frames from it. */
  default void connectionClosed() {}
}
