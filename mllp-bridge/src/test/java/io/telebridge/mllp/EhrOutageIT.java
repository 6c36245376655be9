package io.telebridge.mllp;

import static io.telebridge.mllp.BridgeHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.mllp.sim.EhrSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, item 10: the EHR is down for 20 s, then up: everything is delivered once, in order per
 * patient. Production settings (20 s long poll, 30 s reconnect cap), real ElasticMQ, real TCP.
 */
class EhrOutageIT {

  @Test
  void deliversEverythingOnceInOrderPerPatientAfterTheEhrWasDownFor20Seconds() throws Exception {
    try (LocalSqs sqs = LocalSqs.start(); EhrSimulator ehr = EhrSimulator.builder().start();
        BridgeHarness h = new BridgeHarness(sqs, ehr)) {
      h.startBridge(Map.of("POLL_WAIT_SECONDS", "20", "RECONNECT_MIN_MS", "500", "RECONNECT_MAX_MS", "30000",
          "DRAIN_TIMEOUT_SECONDS", "25"));
      h.sendSiu("PAT-1", "BEFORE-1");
      assertTrue(ehr.awaitCount(1, Duration.ofSeconds(30)));
      // ACKed and deleted before the outage (else the outage would rightly cause a resend: at least once)
      await("the first message settled", Duration.ofSeconds(30), () -> sqs.depth(h.queues.queueUrl()) == 0);

      ehr.stopListening();
      long down = System.nanoTime();
      List<String> patients = List.of("PAT-1", "PAT-2", "PAT-3");
      for (int i = 1; i <= 5; i++) {
        for (String p : patients) {
          h.sendSiu(p, p + "-" + i);
        }
        Thread.sleep(1_000); // bookings keep arriving during the outage
      }
      await("/health to report the outage", Duration.ofSeconds(30), () -> status(h) == 503);
      Thread.sleep(Math.max(0, Duration.ofSeconds(20).toMillis() - (System.nanoTime() - down) / 1_000_000));
      assertEquals(1, ehr.received().size(), "nothing got through while down");
      ehr.startListening();

      assertTrue(ehr.awaitCount(16, Duration.ofSeconds(60)), "all delivered after the outage");
      await("the queue to be empty", Duration.ofSeconds(30), () -> sqs.depth(h.queues.queueUrl()) == 0);
      Thread.sleep(500);
      assertEquals(16, ehr.received().size(), "each message once");
      for (String p : patients) {
        List<String> expected = new ArrayList<>();
        if (p.equals("PAT-1")) {
          expected.add("BEFORE-1");
        }
        for (int i = 1; i <= 5; i++) {
          expected.add(p + "-" + i);
        }
        assertEquals(expected, h.arrivalsByPatient().get(p));
      }
      await("/health back to 200", Duration.ofSeconds(10), () -> status(h) == 200);
      assertEquals(0, sqs.depth(h.queues.deadLetterQueueUrl()));
    }
  }

  private static int status(BridgeHarness h) {
    try {
      return h.health("/health");
    } catch (Exception e) {
      return -1;
    }
  }
}
