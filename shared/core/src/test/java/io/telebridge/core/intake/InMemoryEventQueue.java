package io.telebridge.core.intake;

import io.telebridge.core.error.TransientException;
import java.util.ArrayList;
import java.util.List;

/** Test fake of the queue port. */
final class InMemoryEventQueue implements EventQueue {

  final List<QueuedEvent> sent = new ArrayList<>();
  boolean down;

  @Override
  public synchronized String enqueue(QueuedEvent event) {
    if (down) {
      throw new TransientException("queue down", null);
    }
    sent.add(event);
    return "msg-" + sent.size();
  }
}
