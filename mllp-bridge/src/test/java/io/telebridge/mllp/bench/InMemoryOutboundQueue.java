package io.telebridge.mllp.bench;

import io.telebridge.mllp.bridge.OutboundQueue;
import io.telebridge.mllp.bridge.QueuedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The to-EHR queue in memory, with FIFO group semantics (a group with a message in flight gives
 * nothing else; a batch may hold several messages of one group, in order). For benchmarks that
 * should measure the bridge, not SQS.
 */
final class InMemoryOutboundQueue implements OutboundQueue {

  private static final class Entry {
    final QueuedMessage message;
    boolean inFlight;
    long visibleAt;

    Entry(QueuedMessage message) {
      this.message = message;
    }
  }

  private final LinkedList<Entry> entries = new LinkedList<>();
  private final List<QueuedMessage> deadLettered = new ArrayList<>();
  private long ids;

  synchronized void add(String group, String controlId, String body) {
    String id = "m-" + (++ids);
    entries.add(new Entry(new QueuedMessage(id, id, group, body, Map.of("controlId", controlId), 1)));
    notifyAll();
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized void awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!entries.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(entries.size() + " messages left after " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public synchronized List<QueuedMessage> receive(int max, Duration wait, Duration visibility) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long now = System.nanoTime();
      Set<String> blocked = new HashSet<>();
      for (Entry e : entries) {
        if (e.inFlight && e.visibleAt > now) {
          blocked.add(e.message.groupId());
        } else if (e.inFlight) {
          e.inFlight = false; // visibility expired
        }
      }
      List<QueuedMessage> out = new ArrayList<>();
      for (Entry e : entries) {
        if (out.size() == max) {
          break;
        }
        if (!e.inFlight && !blocked.contains(e.message.groupId())) {
          e.inFlight = true;
          e.visibleAt = now + visibility.toNanos();
          out.add(e.message);
        }
      }
      long left = deadline - System.nanoTime();
      if (!out.isEmpty() || left <= 0) {
        return out;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return out;
      }
    }
  }

  @Override
  public synchronized void delete(List<QueuedMessage> messages) {
    Set<String> ids = new HashSet<>();
    messages.forEach(m -> ids.add(m.messageId()));
    entries.removeIf(e -> ids.contains(e.message.messageId()));
    notifyAll();
  }

  @Override
  public synchronized void retryAfter(QueuedMessage message, Duration delay) {
    for (Entry e : entries) {
      if (e.message.messageId().equals(message.messageId())) {
        e.visibleAt = System.nanoTime() + delay.toNanos();
      }
    }
    notifyAll();
  }

  @Override
  public synchronized void deadLetter(QueuedMessage message, Map<String, String> attributes) {
    deadLettered.add(message);
    entries.removeIf(e -> e.message.messageId().equals(message.messageId()));
    notifyAll();
  }
}
