package io.telebridge.core.journal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A journal written by one background thread, for long-running processes whose loop must not wait for
 * the write (the MLLP sender sends the next message right after an ACK; the listener reads the next
 * frame right after its ACK). Entries keep their own time, so the trace's order does not depend on when
 * they are written. Bounded: when {@code capacity} entries wait, a new one is dropped and counted
 * (the journal is best effort; the message never is). {@link #close} writes what waits, within a budget.
 */
public final class BackgroundJournal implements Journal, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BackgroundJournal.class.getName());

  private final Journal delegate;
  private final BlockingQueue<JournalEntry> waiting;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;

  /** @param delegate a journal that never throws (a {@link GuardedJournal}) */
  public BackgroundJournal(Journal delegate, int capacity) {
    this.delegate = delegate;
    this.waiting = new ArrayBlockingQueue<>(capacity);
    this.writer = Thread.ofPlatform().name("journal-writer").daemon(true).start(this::drain);
  }

  @Override
  public void record(JournalEntry entry) {
    if (entry == null) {
      return;
    }
    if (closed || !waiting.offer(entry)) {
      long n = dropped.incrementAndGet();
      if (n == 1 || n % 1000 == 0) {
        LOG.log(Level.WARNING, "journal backlog full: {0} step(s) not journaled so far", n);
      }
    }
  }

  private void drain() {
    while (!closed || !waiting.isEmpty()) {
      try {
        JournalEntry e = waiting.poll(200, TimeUnit.MILLISECONDS);
        if (e != null) {
          delegate.record(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "journal write failed: {0}", e.getClass().getSimpleName());
      }
    }
  }

  /** Steps dropped because the backlog was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Steps waiting to be written. */
  public int backlog() {
    return waiting.size();
  }

  /** Stops taking steps and writes those that wait, for at most {@code budget}. */
  public void close(Duration budget) {
    closed = true;
    try {
      writer.join(budget.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      writer.interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }
}
