package io.telebridge.mllp.listener;

import java.util.ArrayList;
import java.util.List;

/** A test fake of the store: records writes; can be told to fail. */
final class InMemoryInboundStore implements InboundStore {

  final List<FromEhrMessage> queued = new ArrayList<>();
  final List<QuarantinedFrame> quarantined = new ArrayList<>();
  boolean queueDown;
  boolean queueRefusesContent;
  boolean quarantineDown;

  @Override
  public synchronized void enqueue(FromEhrMessage message) {
    if (queueDown) {
      throw new IllegalStateException("queue down");
    }
    if (queueRefusesContent) {
      throw new io.telebridge.core.error.RejectedException("SQS refused the message (MessageTooLong)");
    }
    queued.add(message);
  }

  @Override
  public synchronized void quarantine(QuarantinedFrame frame) {
    if (quarantineDown) {
      throw new IllegalStateException("quarantine down");
    }
    quarantined.add(frame);
  }
}
