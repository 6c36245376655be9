package io.telebridge.mllp.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Group commit: the writes that callers on many threads (the listener's connections) submit at about
 * the same moment go out as one batch, and each caller returns only when <em>its own</em> entry is
 * durable (or throws that entry's failure). Nothing is acknowledged early: {@link #submit} blocks
 * until the batch holding the entry came back.
 *
 * <p>When a batch goes out:
 * <ul>
 *   <li>at once when it is full: {@link Limits#maxEntries} entries, or the next entry would take it
 *       over {@link Limits#maxBytes};
 *   <li>at once when no other write is on its way — a lone message on an idle link never waits. A
 *       write is "on its way" from {@link #expect()} (the listener calls it when a frame's first
 *       byte arrives) until that thread submits or calls {@link #cancelExpectation()} (its frame is
 *       handled: refused, answered, or lost). A thread whose frame was handled less than
 *       {@link Limits#recent} ago counts as on its way too (a busy connection's next frame follows
 *       its ACK at once: waiting for it keeps the connections of a busy link in step, one batch for
 *       all of them), until {@link #forget()} (its connection closed);
 *   <li>else after {@link Limits#linger} at most, counted from the batch's first entry.
 * </ul>
 *
 * The first entry's thread (the batch's opener) waits for the batch to fill and then sends it
 * itself, on its own thread; the others wait for its result. Several batches may be in flight at
 * once (one per opener), and two batches may be written in either order. Entries keep their
 * submission order inside a batch. The listener's order guarantee rests on the connection: a
 * connection has one entry in flight at a time and answers it before it reads the next frame.
 * Expectations are per thread (one frame at a time per connection thread).
 *
 * @param <E> what is written (for the listener: a {@link FromEhrMessage})
 */
public final class GroupCommit<E> {

  /**
   * Writes one batch. Returns one element per entry, in the entries' order: {@code null} when that
   * entry is durable, else the exception its submitter throws. Throwing fails every entry of the
   * batch with that exception.
   */
  @FunctionalInterface
  public interface Sender<E> {
    List<RuntimeException> send(List<E> entries);
  }

  /**
   * @param maxEntries entries per batch (SQS SendMessageBatch: 10)
   * @param maxBytes bytes per batch, as {@code size} counts them (SQS: 256 KiB of bodies and attributes)
   * @param linger longest wait of a batch's first entry for others on their way
   * @param recent how long after its last frame was handled a thread still counts as on its way
   */
  public record Limits(int maxEntries, long maxBytes, Duration linger, Duration recent) {
    /** SendMessageBatch's limits, a 2 ms linger, threads active in the last 50 ms awaited. */
    public static final Limits SQS = new Limits(10, 256 * 1024, Duration.ofMillis(2), Duration.ofMillis(50));

    public Limits {
      if (maxEntries < 1 || maxBytes < 1 || linger.isNegative() || recent.isNegative()) {
        throw new IllegalArgumentException("maxEntries and maxBytes must be positive, linger and recent not negative");
      }
    }

    /** Without waiting for recently active threads. */
    public Limits(int maxEntries, long maxBytes, Duration linger) {
      this(maxEntries, maxBytes, linger, Duration.ZERO);
    }
  }

  private final Sender<E> sender;
  private final ToLongFunction<E> size;
  private final Limits limits;
  private final ReentrantLock lock = new ReentrantLock();
  /** The batch new entries join; null: the next entry opens one. Guarded by {@link #lock}. */
  private Batch open;
  /** Threads whose write is on its way (expected, not yet submitted). Guarded by {@link #lock}. */
  private int expected;
  private final ThreadLocal<Boolean> expecting = new ThreadLocal<>();
  /** Threads between frames, with the nanoTime their last frame was handled. Guarded by {@link #lock}. */
  private final java.util.Map<Thread, Long> between = new java.util.HashMap<>();
  private final AtomicLong batchesSent = new AtomicLong();
  private final AtomicLong entriesSent = new AtomicLong();

  private final class Batch {
    final List<E> entries = new ArrayList<>();
    long bytes;
    boolean closed;
    final Condition changed = lock.newCondition();
    final CompletableFuture<RuntimeException[]> result = new CompletableFuture<>();
  }

  /**
   * @param size an entry's bytes as counted against {@link Limits#maxBytes}; an entry bigger than that
   *     goes in a batch of its own
   */
  public GroupCommit(Sender<E> sender, ToLongFunction<E> size, Limits limits) {
    this.sender = Objects.requireNonNull(sender);
    this.size = Objects.requireNonNull(size);
    this.limits = Objects.requireNonNull(limits);
  }

  /** This thread is about to submit (a frame started arriving): a batch opened meanwhile may wait for it. */
  public void expect() {
    if (expecting.get() != null) {
      return;
    }
    expecting.set(Boolean.TRUE);
    lock.lock();
    try {
      expected++;
      between.remove(Thread.currentThread());
    } finally {
      lock.unlock();
    }
  }

  /**
   * This thread's frame is handled (answered, refused or lost): it will not submit for it (any more).
   * It counts as on its way for {@link Limits#recent} still: its next frame may follow at once.
   */
  public void cancelExpectation() {
    leave(!limits.recent().isZero());
  }

  /** This thread sends no more (its connection closed): nobody waits for it. */
  public void forget() {
    leave(false);
  }

  /** Ends this thread's expectation; {@code recently}: it counts as on its way for {@link Limits#recent} still. */
  private void leave(boolean recently) {
    boolean wasExpected = expecting.get() != null;
    expecting.remove();
    lock.lock();
    try {
      if (wasExpected) {
        expected--;
      }
      if (recently) {
        between.put(Thread.currentThread(), System.nanoTime());
      } else {
        between.remove(Thread.currentThread());
      }
      if (open != null) {
        open.changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes on their way besides the caller's (lock held): expected frames and threads recently between frames. */
  private int onTheirWay(long now) {
    int n = expected;
    long recent = limits.recent().toNanos();
    if (recent > 0) {
      Thread me = Thread.currentThread();
      for (var e : between.entrySet()) {
        if (e.getKey() != me && now - e.getValue() < recent) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Adds the entry to the open batch (or opens one) and returns once the batch was written and this
   * entry is durable.
   *
   * @throws RuntimeException the entry's own failure, as the {@link Sender} reported it
   */
  public void submit(E entry) {
    long bytes = size.applyAsLong(entry);
    boolean wasExpected = expecting.get() != null;
    expecting.remove();
    Batch batch;
    int index;
    boolean opener;
    lock.lock();
    try {
      if (wasExpected) {
        expected--;
      }
      between.remove(Thread.currentThread());
      if (open != null && !open.entries.isEmpty() && open.bytes + bytes > limits.maxBytes()) {
        close(open); // this entry would take it over the byte limit: that batch goes as it is
      }
      opener = open == null;
      if (opener) {
        open = new Batch();
      }
      batch = open;
      index = batch.entries.size();
      batch.entries.add(entry);
      batch.bytes += bytes;
      if (batch.entries.size() >= limits.maxEntries() || batch.bytes >= limits.maxBytes()) {
        close(batch);
      } else if (!opener) {
        batch.changed.signalAll(); // its opener re-counts who is still on the way
      }
      if (opener) {
        awaitOthers(batch);
      }
    } finally {
      lock.unlock();
    }
    RuntimeException failure = opener ? write(batch)[index] : batch.result.join()[index];
    if (failure != null) {
      throw failure;
    }
  }

  /** The opener's wait (lock held): until the batch is closed by a filler, nobody else is on the way, or the linger ends. */
  private void awaitOthers(Batch batch) {
    long deadline = System.nanoTime() + limits.linger().toNanos();
    boolean interrupted = false;
    while (!batch.closed) {
      long now = System.nanoTime();
      if (onTheirWay(now) == 0) {
        break;
      }
      long left = deadline - now;
      if (left <= 0) {
        break;
      }
      try {
        batch.changed.awaitNanos(left);
      } catch (InterruptedException e) {
        interrupted = true; // send what there is now; the interrupt stays set for the caller
        break;
      }
    }
    close(batch);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void close(Batch batch) {
    batch.closed = true;
    if (open == batch) {
      open = null;
    }
    batch.changed.signalAll();
  }

  /** Sends a closed batch (outside the lock) and hands every entry its outcome; never leaves a waiter hanging. */
  private RuntimeException[] write(Batch batch) {
    RuntimeException[] outcome = new RuntimeException[batch.entries.size()];
    try {
      List<RuntimeException> sent = sender.send(List.copyOf(batch.entries));
      if (sent == null || sent.size() != outcome.length) {
        Arrays.fill(outcome, new IllegalStateException("the batch writer answered " + (sent == null ? "nothing" : sent.size()
            + " outcomes for " + outcome.length + " entries")));
      } else {
        for (int i = 0; i < outcome.length; i++) {
          outcome[i] = sent.get(i);
        }
      }
    } catch (RuntimeException e) {
      Arrays.fill(outcome, e);
    } catch (Error e) {
      Arrays.fill(outcome, new IllegalStateException("the batch writer failed (" + e.getClass().getSimpleName() + ")", e));
      batch.result.complete(outcome);
      throw e;
    }
    batchesSent.incrementAndGet();
    entriesSent.addAndGet(outcome.length);
    batch.result.complete(outcome);
    return outcome;
  }

  /** Entries in the batch now open (0 when none is), for tests. */
  int openEntries() {
    lock.lock();
    try {
      return open == null ? 0 : open.entries.size();
    } finally {
      lock.unlock();
    }
  }

  /** Batches written since start (for the benchmark and logs). */
  public long batches() {
    return batchesSent.get();
  }

  /** Entries written since start, failed ones included. */
  public long entries() {
    return entriesSent.get();
  }
}
