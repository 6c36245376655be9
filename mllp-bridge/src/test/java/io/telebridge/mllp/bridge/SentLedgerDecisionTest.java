package io.telebridge.mllp.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.fromehr.Metrics;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.mllp.BridgeJournal;
import io.telebridge.mllp.Hl7Samples;
import io.telebridge.mllp.hl7.AckReader;
import io.telebridge.mllp.sim.EhrSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's sent-ledger decision, one batch at a time: a message the EHR accepted before (same tenant and
 * MSH-10) is deleted unsent and journaled; a miss, a replay, another tenant and a ledger outage are sent.
 * The EHR is the simulator over TCP; the queue, the ledger and the journal are in memory.
 */
class SentLedgerDecisionTest {

  private EhrSimulator ehr;
  private Bridge bridge;
  private final RecordingQueue queue = new RecordingQueue();
  private final FakeLedger ledger = new FakeLedger();
  private final List<JournalEntry> journaled = new ArrayList<>();
  private final List<String> metrics = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ehr = EhrSimulator.builder().start();
    Map<String, String> env = new HashMap<>();
    env.put("TO_EHR_QUEUE_URL", "http://127.0.0.1:1/q.fifo");
    env.put("TO_EHR_DLQ_URL", "http://127.0.0.1:1/dlq.fifo");
    env.put("EHR_HOST", "127.0.0.1");
    env.put("EHR_PORT", Integer.toString(ehr.port()));
    env.put("ENVIRONMENT", BridgeConfig.LOCAL_ENVIRONMENT);
    env.put("MLLP_LISTEN_PORT", "off");
    env.put("ACK_TIMEOUT_MS", "2000");
    env.put("AWS_REGION", "us-east-1");
    BridgeConfig config = BridgeConfig.fromEnvironment(env);
    AckReader acks = new AckReader();
    bridge = new Bridge(config, queue, MllpClient.of(config), acks, new EmfMetrics(metrics::add, () -> 0L),
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), RandomGenerator.of("L64X128MixRandom")))
        .journal(new BridgeJournal(journaled::add, facility -> Optional.empty(), new Metrics() {
          @Override
          public void count(String metric, long value, Map<String, String> properties) { }
        }, Clock.systemUTC()))
        .ledger(ledger);
  }

  @AfterEach
  void stop() {
    bridge.abort();
    ehr.close();
  }

  private static QueuedMessage message(String id, String tenant, String controlId, Map<String, String> extra) {
    Map<String, String> attributes = new HashMap<>(extra);
    attributes.put("tenant", tenant);
    attributes.put("controlId", controlId);
    return new QueuedMessage(id, "rh-" + id, "grp-" + id, Hl7Samples.siuS12(controlId, "pat-" + id), attributes, 1);
  }

  private void process(QueuedMessage... batch) {
    bridge.process(List.of(batch), System.nanoTime());
  }

  private int metric(String name) {
    int total = 0;
    for (String line : metrics) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(line);
      total += m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
    return total;
  }

  @Test
  void aMessageTheEhrAcceptedBeforeIsDeletedUnsentJournaledAndCounted() {
    ledger.accepted.add("t1|CTL-1");
    process(message("m1", "t1", "CTL-1", Map.of()));
    assertEquals(List.of(), ehr.controlIds(), "not sent");
    assertEquals(List.of("m1"), queue.deleted, "deleted");
    assertEquals(List.of(), queue.returned);
    assertEquals(1, journaled.size());
    assertEquals(BridgeJournal.SUPPRESSED_DUPLICATE, journaled.get(0).outcome());
    assertEquals("t1", journaled.get(0).tenant());
    assertEquals(1, metric("suppressedDuplicates"));
    assertEquals(0, metric("sent"));
  }

  @Test
  void aMissIsSentAndRecordedBeforeItIsDeleted() {
    process(message("m1", "t1", "CTL-2", Map.of()));
    assertEquals(List.of("CTL-2"), ehr.controlIds());
    assertEquals(List.of("t1|CTL-2"), ledger.recorded);
    assertEquals(List.of("m1"), queue.deleted);
    assertEquals(List.of("t1|CTL-2"), ledger.recordedBeforeDelete, "recorded before the delete");
    assertEquals(0, metric("suppressedDuplicates"));
  }

  @Test
  void theSecondCopyInTheSameBatchIsSuppressed() {
    process(message("m1", "t1", "CTL-3", Map.of()), message("m2", "t1", "CTL-3", Map.of()));
    assertEquals(List.of("CTL-3"), ehr.controlIds());
    assertEquals(List.of("m1", "m2"), queue.deleted);
    assertEquals(1, metric("suppressedDuplicates"));
  }

  @Test
  void aReplayIsSentEvenWhenTheEhrAcceptedItBefore() {
    ledger.accepted.add("t1|CTL-4");
    process(message("m1", "t1", "CTL-4", Map.of("replayOf", "hl7:CTL-4")));
    assertEquals(List.of("CTL-4"), ehr.controlIds());
    assertEquals(List.of("m1"), queue.deleted);
    assertEquals(0, metric("suppressedDuplicates"));
  }

  @Test
  void anotherTenantsMessageWithTheSameMsh10IsSent() {
    ledger.accepted.add("t1|CTL-5");
    process(message("m1", "t2", "CTL-5", Map.of()));
    assertEquals(List.of("CTL-5"), ehr.controlIds());
    assertEquals(List.of("t2|CTL-5"), ledger.recorded);
  }

  @Test
  void aLedgerOutageNeitherBlocksNorLosesAMessage() {
    ledger.accepted.add("t1|CTL-6");
    ledger.down = true;
    process(message("m1", "t1", "CTL-6", Map.of()));
    assertEquals(List.of("CTL-6"), ehr.controlIds(), "sent as without a ledger");
    assertEquals(List.of("m1"), queue.deleted, "and deleted after its AA");
    assertEquals(2, metric("ledgerErrors"), "the read and the write");
    assertTrue(journaled.stream().noneMatch(e -> BridgeJournal.SUPPRESSED_DUPLICATE.equals(e.outcome())));
  }

  /** Remembers "tenant|MSH-10"; down: every call throws. */
  private final class FakeLedger implements SentLedger {
    final Set<String> accepted = new HashSet<>();
    final List<String> recorded = new ArrayList<>();
    final List<String> recordedBeforeDelete = new ArrayList<>();
    boolean down;

    @Override
    public boolean accepted(String tenant, String controlId) {
      if (down) {
        throw new IllegalStateException("ledger down");
      }
      return accepted.contains(tenant + "|" + controlId);
    }

    @Override
    public void recordAccepted(String tenant, String controlId) {
      if (down) {
        throw new IllegalStateException("ledger down");
      }
      accepted.add(tenant + "|" + controlId);
      recorded.add(tenant + "|" + controlId);
      if (queue.deleted.isEmpty()) {
        recordedBeforeDelete.add(tenant + "|" + controlId);
      }
    }
  }

  private static final class RecordingQueue implements OutboundQueue {
    final List<String> deleted = new ArrayList<>();
    final List<String> returned = new ArrayList<>();

    @Override
    public List<QueuedMessage> receive(int max, Duration wait, Duration visibility) {
      return List.of();
    }

    @Override
    public void delete(List<QueuedMessage> messages) {
      messages.forEach(m -> deleted.add(m.messageId()));
    }

    @Override
    public void retryAfter(QueuedMessage message, Duration delay) {
      returned.add(message.messageId());
    }

    @Override
    public void deadLetter(QueuedMessage message, Map<String, String> attributes) {
      throw new AssertionError("no message here is dead-lettered");
    }
  }
}
