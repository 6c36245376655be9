package io.telebridge.mllp.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.RejectedException;
import io.telebridge.core.error.TransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The group commit alone, with a recording batch writer: who goes in which batch, in which order,
 * within which limits, and which submitter gets which outcome. A linger of an hour stands for "would
 * wait": where a test must not wait, it would hang (and the preemptive guard fails it).
 */
class GroupCommitTest {

  private static final Duration NEVER = Duration.ofHours(1);
  private static final Duration GUARD = Duration.ofSeconds(60);

  /** Records every batch; fails the entries the rule names (null: stored). */
  private static final class Recorder implements GroupCommit.Sender<String> {
    final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    final Function<String, RuntimeException> rule;

    Recorder(Function<String, RuntimeException> rule) {
      this.rule = rule;
    }

    @Override
    public List<RuntimeException> send(List<String> entries) {
      batches.add(entries);
      List<RuntimeException> out = new ArrayList<>();
      for (String e : entries) {
        out.add(rule.apply(e));
      }
      return out;
    }
  }

  private static GroupCommit<String> commit(Recorder r, int maxEntries, long maxBytes, Duration linger) {
    return new GroupCommit<>(r, String::length, new GroupCommit.Limits(maxEntries, maxBytes, linger));
  }

  /** Starts a thread that says it is on its way, waits for {@code go}, then submits; its outcome lands in {@code outcomes}. */
  private static Thread submitter(GroupCommit<String> c, String entry, CountDownLatch expected, CountDownLatch go,
      Map<String, Object> outcomes) {
    return Thread.ofVirtual().start(() -> {
      c.expect();
      expected.countDown();
      try {
        go.await();
        c.submit(entry);
        outcomes.put(entry, "stored");
      } catch (RuntimeException e) {
        outcomes.put(entry, e);
      } catch (InterruptedException e) {
        outcomes.put(entry, e);
      }
    });
  }

  /** Waits until the open batch holds {@code n} entries. */
  private static void awaitOpen(GroupCommit<String> c, int n) throws InterruptedException {
    while (c.openEntries() < n) {
      Thread.sleep(1);
    }
  }

  @Test
  void aLoneEntryWithNothingOnItsWayIsWrittenAtOnceAlone() {
    Recorder r = new Recorder(e -> null);
    GroupCommit<String> c = commit(r, 10, 1_000, NEVER);
    assertTimeoutPreemptively(GUARD, () -> {
      c.expect(); // its own frame: it does not wait for itself
      c.submit("a");
      c.submit("b"); // not even expected
    });
    assertEquals(List.of(List.of("a"), List.of("b")), r.batches);
    assertEquals(2, c.batches());
    assertEquals(2, c.entries());
  }

  @Test
  void entriesOnTheirWayShareOneBatchInSubmissionOrderAndEachReturnsWhenItIsStored() throws Exception {
    Recorder r = new Recorder(e -> null);
    GroupCommit<String> c = commit(r, 10, 1_000, NEVER);
    Map<String, Object> outcomes = new ConcurrentHashMap<>();
    CountDownLatch expected = new CountDownLatch(4);
    CountDownLatch[] go = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      threads.add(submitter(c, "m" + i, expected, go[i], outcomes));
    }
    assertTimeoutPreemptively(GUARD, () -> {
      expected.await();
      for (int i = 0; i < 3; i++) {
        go[i].countDown();
        awaitOpen(c, i + 1); // the batch stays open while others are on their way
        assertTrue(r.batches.isEmpty(), "nothing written before the last one on its way arrived");
      }
      go[3].countDown(); // the last one: nobody else on the way, the batch goes
      for (Thread t : threads) {
        t.join();
      }
    });
    assertEquals(List.of(List.of("m0", "m1", "m2", "m3")), r.batches);
    assertEquals(Map.of("m0", "stored", "m1", "stored", "m2", "stored", "m3", "stored"), outcomes);
  }

  @Test
  void aFailedEntryFailsOnlyItsOwnSubmitterWithItsOwnException() throws Exception {
    RejectedException refused = new RejectedException("SQS refused the message (InvalidMessageContents)");
    TransientException lost = new TransientException("entry failed (InternalError)", null);
    Recorder r = new Recorder(e -> e.equals("m1") ? refused : e.equals("m3") ? lost : null);
    GroupCommit<String> c = commit(r, 10, 1_000, NEVER);
    Map<String, Object> outcomes = new ConcurrentHashMap<>();
    CountDownLatch expected = new CountDownLatch(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      threads.add(submitter(c, "m" + i, expected, go, outcomes));
    }
    assertTimeoutPreemptively(GUARD, () -> {
      expected.await();
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
    });
    assertEquals(1, r.batches.size(), "one batch: " + r.batches);
    assertEquals("stored", outcomes.get("m0"));
    assertSame(refused, outcomes.get("m1"));
    assertEquals("stored", outcomes.get("m2"));
    assertSame(lost, outcomes.get("m3"));
  }

  @Test
  void aWriterThatThrowsFailsEveryEntryOfThatBatch() {
    TransientException down = new TransientException("SQS SendMessageBatch failed", null);
    GroupCommit<String> c = new GroupCommit<>(entries -> {
      throw down;
    }, String::length, new GroupCommit.Limits(10, 1_000, NEVER));
    assertSame(down, assertThrows(TransientException.class, () -> c.submit("a")));
  }

  @Test
  void aBatchHoldsAtMostMaxEntries() throws Exception {
    Recorder r = new Recorder(e -> null);
    GroupCommit<String> c = commit(r, 3, 1_000, NEVER);
    Map<String, Object> outcomes = new ConcurrentHashMap<>();
    CountDownLatch expected = new CountDownLatch(5);
    CountDownLatch[] go = new CountDownLatch[5];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      go[i] = new CountDownLatch(1);
      threads.add(submitter(c, "m" + i, expected, go[i], outcomes));
    }
    assertTimeoutPreemptively(GUARD, () -> {
      expected.await();
      for (int i = 0; i < 5; i++) { // one after the other, so the order is known
        go[i].countDown();
        int inBatch = i < 3 ? i + 1 : i - 2;
        if (i == 2) {
          while (r.batches.isEmpty()) { // full: written at once although two more are on their way
            Thread.sleep(1);
          }
        } else if (i < 4) {
          awaitOpen(c, inBatch);
        }
      }
      for (Thread t : threads) {
        t.join();
      }
    });
    assertEquals(List.of(List.of("m0", "m1", "m2"), List.of("m3", "m4")), r.batches);
    assertEquals(5, outcomes.values().stream().filter("stored"::equals).count());
  }

  @Test
  void anEntryThatWouldTakeTheBatchOverItsBytesStartsTheNextOne() throws Exception {
    Recorder r = new Recorder(e -> null);
    GroupCommit<String> c = commit(r, 10, 100, NEVER);
    String a = "a".repeat(40);
    String b = "b".repeat(40);
    String d = "d".repeat(40);
    Map<String, Object> outcomes = new ConcurrentHashMap<>();
    CountDownLatch expected = new CountDownLatch(3);
    CountDownLatch[] go = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
    List<Thread> threads = List.of(submitter(c, a, expected, go[0], outcomes), submitter(c, b, expected, go[1], outcomes),
        submitter(c, d, expected, go[2], outcomes));
    assertTimeoutPreemptively(GUARD, () -> {
      expected.await();
      go[0].countDown();
      awaitOpen(c, 1);
      go[1].countDown();
      awaitOpen(c, 2);
      go[2].countDown(); // 120 bytes would be over 100: the first two go, the third opens a batch
      for (Thread t : threads) {
        t.join();
      }
    });
    // two batches, which may be written in either order (each has its own writer): a connection has one
    // entry in flight at a time, so its order never rests on the order between batches
    assertEquals(2, r.batches.size());
    assertTrue(r.batches.contains(List.of(a, b)) && r.batches.contains(List.of(d)), r.batches.toString());
    assertEquals(3, outcomes.values().stream().filter("stored"::equals).count());
  }

  @Test
  void aFrameThatWillNotBeSubmittedAfterAllReleasesTheWaitingBatch() throws Exception {
    Recorder r = new Recorder(e -> null);
    GroupCommit<String> c = commit(r, 10, 1_000, NEVER);
    CountDownLatch onItsWay = new CountDownLatch(1);
    CountDownLatch refuse = new CountDownLatch(1);
    Thread refused = Thread.ofVirtual().start(() -> {
      c.expect();
      onItsWay.countDown();
      try {
        refuse.await();
      } catch (InterruptedException e) {
        return;
      }
      c.cancelExpectation(); // its frame was refused (AR): no write follows
    });
    AtomicReference<Object> outcome = new AtomicReference<>();
    assertTimeoutPreemptively(GUARD, () -> {
      onItsWay.await();
      Thread writer = Thread.ofVirtual().start(() -> {
        c.submit("a");
        outcome.set("stored");
      });
      awaitOpen(c, 1);
      assertTrue(r.batches.isEmpty(), "waits while another frame is on its way");
      refuse.countDown();
      writer.join();
      refused.join();
    });
    assertEquals("stored", outcome.get());
    assertEquals(List.of(List.of("a")), r.batches);
  }

  @Test
  void theLingerEndsTheWaitForAFrameThatNeverComes() {
    Recorder r = new Recorder(e -> null);
    GroupCommit<String> c = commit(r, 10, 1_000, Duration.ofMillis(20));
    CountDownLatch onItsWay = new CountDownLatch(1);
    Thread.ofVirtual().start(() -> {
      c.expect(); // and never submits nor cancels (a stuck peer)
      onItsWay.countDown();
    });
    assertTimeoutPreemptively(GUARD, () -> {
      onItsWay.await();
      c.submit("a");
    });
    assertEquals(List.of(List.of("a")), r.batches);
  }

  @Test
  void aThreadWhoseFrameWasJustAnsweredIsAwaitedForItsNextOneAndForgottenWhenItsConnectionCloses() throws Exception {
    Recorder r = new Recorder(e -> null);
    GroupCommit<String> c = new GroupCommit<>(r, String::length,
        new GroupCommit.Limits(10, 1_000, NEVER, NEVER)); // "recent" for an hour: only forget() or a submit ends it
    CountDownLatch answered = new CountDownLatch(1);
    CountDownLatch next = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Thread busy = Thread.ofVirtual().start(() -> {
      c.cancelExpectation(); // its last frame was answered a moment ago
      answered.countDown();
      try {
        next.await();
        c.submit("b"); // its next frame
        closed.await();
      } catch (InterruptedException e) {
        return;
      }
      c.forget();
    });
    assertTimeoutPreemptively(GUARD, () -> {
      answered.await();
      Thread first = Thread.ofVirtual().start(() -> c.submit("a"));
      awaitOpen(c, 1);
      assertTrue(r.batches.isEmpty(), "the busy connection's next frame is awaited");
      next.countDown();
      first.join();
      assertEquals(List.of(List.of("a", "b")), r.batches);
      closed.countDown();
      busy.join();
      c.submit("c"); // the busy connection is gone: nobody to wait for
    });
    assertEquals(List.of(List.of("a", "b"), List.of("c")), r.batches);
  }
}
