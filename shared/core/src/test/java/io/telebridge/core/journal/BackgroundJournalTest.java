package io.telebridge.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BackgroundJournalTest {

  @Test
  void stepsAreWrittenByTheBackgroundThreadAndAFullBacklogDropsAndCountsInsteadOfBlocking() throws Exception {
    InMemoryJournal store = new InMemoryJournal();
    CountDownLatch release = new CountDownLatch(1);
    BackgroundJournal journal = new BackgroundJournal(entry -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      store.record(entry);
    }, 2);
    Instant t = Instant.parse("2026-12-07T10:00:00Z");
    journal.record(JournalEntry.hl7("acme", "C0", Stage.MLLP_SENDER, "AA", t));
    while (journal.backlog() > 0) { // the writer took it and is blocked writing it
      Thread.sleep(10);
    }
    for (int i = 1; i < 6; i++) { // two wait, the rest are dropped: record never blocks
      journal.record(JournalEntry.hl7("acme", "C" + i, Stage.MLLP_SENDER, "AA", t));
    }
    assertEquals(3, journal.dropped());
    release.countDown();
    journal.close(Duration.ofSeconds(5));
    assertEquals(3, store.all().size());
    assertEquals("hl7:C0", store.all().get(0).subject());
  }
}
