package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.DynamoDbJournal;
import io.telebridge.aws.DynamoDbReplayArchive;
import io.telebridge.core.journal.ArchivedMessage;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.Stage;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The journal's cost per message on the local stack (issue 14 §1): how many DynamoDB writes a booking
 * adds (counted from the tables after real bookings went through every stage to the EHR's AA), and
 * what one journal write and one archive write take against moto (printed, never asserted: no
 * wall-clock asserts). Run: {@code mvn -B -ntp -pl tests -am verify -Dit.test=JournalCostIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class JournalCostIT {

  private static final int BOOKINGS = 20;
  private static final int WRITES = 500;
  private static final int WARMUP = 100;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runBridge(true));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aNewPatientsBookingAddsFourJournalWritesAndOneArchiveBatchAndTheirLatencyIsPrinted() throws Exception {
    for (int i = 0; i < BOOKINGS; i++) {
      assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(),
          Signed.event("appointment.booked.json", "evt-cost-" + i, "pat-cost-" + i)).statusCode());
    }
    EhrSide.await(stack.ehrSimulator(), "every booking at the EHR", Duration.ofSeconds(90),
        () -> stack.ehrSimulator().received().stream().filter(m -> m.patientIds().stream()
            .anyMatch(p -> p.startsWith("pat-cost-"))).count() >= 2L * BOOKINGS);
    Thread.sleep(2_000); // the sender journals right after the ACK

    String journalTable = stack.tableName("JournalTable");
    String archiveTable = stack.tableName("ReplayArchiveTable");
    DynamoDbJournal journal = new DynamoDbJournal(stack.adapterDynamoDb(), journalTable, Duration.ofDays(30));
    // A booking whose translation failed once (a transient error under load) is retried after the queue's
    // visibility timeout and journals its failure as well: the cost per message is measured on the others.
    int journalItems = 0;
    int archiveItems = 0;
    int clean = 0;
    List<String> retried = new ArrayList<>();
    for (int i = 0; i < BOOKINGS; i++) {
      String patient = "pat-cost-" + i;
      List<String> subjects = new ArrayList<>(List.of(JournalEntry.EVENT + "evt-cost-" + i));
      for (ReceivedMessage m : EhrSide.at(stack.ehrSimulator(), patient)) {
        subjects.add(JournalEntry.HL7 + m.controlId());
      }
      int journalOfBooking = 0;
      int archiveOfBooking = 0;
      boolean failedOnce = false;
      for (String s : subjects) {
        List<JournalEntry> entries = journal.entries("demo-clinic", s);
        journalOfBooking += entries.size();
        failedOnce |= entries.stream().anyMatch(e -> e.errorClass() != null);
        Map<String, AttributeValue> item = stack.dynamoDb().getItem(b -> b.tableName(archiveTable)
            .key(Map.of("pk", AttributeValue.fromS("demo-clinic|" + s)))).item();
        archiveOfBooking += item == null || item.isEmpty() ? 0 : 1;
      }
      if (failedOnce) {
        retried.add("evt-cost-" + i);
        continue;
      }
      clean++;
      journalItems += journalOfBooking;
      archiveItems += archiveOfBooking;
    }
    System.out.printf(Locale.ROOT, "journal cost: %d bookings (new patient: ADT^A04 + SIU^S12 each), %d without a"
        + " retry: %.1f journal PutItems per booking (intake 1, translator 1, sender 1 per message), %.1f archive"
        + " items per booking in 1 BatchWriteItem; retried (not counted): %s%n", BOOKINGS, clean,
        journalItems / (double) clean, archiveItems / (double) clean, retried);
    assertTrue(clean >= BOOKINGS / 2, "most bookings go through without a retry: " + retried);
    assertEquals(4 * clean, journalItems, "intake, translator, and the sender's AA for each of the two messages");
    assertEquals(3 * clean, archiveItems, "the event and its two HL7 messages");

    // latency of one step's write against moto (the stage waits for it after its commit point)
    long[] put = new long[WRITES];
    for (int i = -WARMUP; i < WRITES; i++) {
      JournalEntry e = JournalEntry.hl7("bench", "CTL" + i, Stage.MLLP_SENDER, "AA", Instant.now())
          .type("SIU^S12").attempt(1).links(List.of("event:evt-bench-" + i));
      long t0 = System.nanoTime();
      journal.record(e);
      if (i >= 0) {
        put[i] = System.nanoTime() - t0;
      }
    }
    DynamoDbReplayArchive archive = new DynamoDbReplayArchive(stack.adapterDynamoDb(), archiveTable, Duration.ofDays(30),
        Clock.systemUTC());
    String body = "MSH|^~\\&|TELEBRIDGE|TELEHEALTH|EHR|MAIN_CLINIC|20261207100000+0000||SIU^S12^SIU_S12|X|P|2.5.1\r"
        .repeat(20);
    long[] batch = new long[WRITES / 5];
    for (int i = -WARMUP / 5; i < batch.length; i++) {
      List<ArchivedMessage> three = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        three.add(new ArchivedMessage("bench", "hl7:B" + i + "-" + k, "bench:pat", body, Map.of("controlId", "B" + i)));
      }
      long t0 = System.nanoTime();
      archive.keep(three);
      if (i >= 0) {
        batch[i] = System.nanoTime() - t0;
      }
    }
    System.out.printf(Locale.ROOT, "journal cost: one journal PutItem on moto: %s; one archive BatchWriteItem (3 items"
        + " of %d chars): %s%n", stats(put), body.length(), stats(batch));
  }

  /**
   * The MLLP sender's sent ledger: one consistent GetItem before each send and one conditional PutItem after
   * each AA, both on the send loop (unlike the journal). Printed; the lookups are asserted.
   */
  @Test
  void theSentLedgersTwoCallsPerMessageArePrinted() {
    var ledger = new io.telebridge.mllp.DynamoDbSentLedger(stack.adapterDynamoDb(), stack.tableName("IdempotencyTable"),
        Clock.systemUTC());
    long[] get = new long[WRITES];
    long[] put = new long[WRITES];
    for (int i = -WARMUP; i < WRITES; i++) {
      long t0 = System.nanoTime();
      boolean before = ledger.accepted("bench", "L" + i);
      long t1 = System.nanoTime();
      ledger.recordAccepted("bench", "L" + i);
      long t2 = System.nanoTime();
      assertTrue(!before && ledger.accepted("bench", "L" + i), "unknown, then recorded");
      if (i >= 0) {
        get[i] = t1 - t0;
        put[i] = t2 - t1;
      }
    }
    System.out.printf(Locale.ROOT, "sent ledger cost: one GetItem (consistent) on moto: %s; one conditional PutItem: %s%n",
        stats(get), stats(put));
  }

  private static String stats(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0) / 1e6;
    return String.format(Locale.ROOT, "n=%d mean %.2f ms, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms", s.length, mean,
        s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6, s[(int) (s.length * 0.99)] / 1e6);
  }
}
