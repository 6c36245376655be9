package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.bench.FaultBench;
import io.telebridge.local.bench.LoadRun;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 §4-5 at CI size: a short open-loop run of the load mix (new and known patients'
 * bookings, reschedules, cancels) through an in-process stack with the MLLP bridge and the EHR
 * simulator, under one fault each, judged as {@code ./tb bench faults} judges it: every accepted
 * event's HL7 messages acknowledged by the EHR, none twice, each patient's in the order sent. (The
 * crash of the whole stack is LocalStackCrashIT's; the full suite is {@code ./tb bench faults}.)
 */
class LoadFaultsIT {

  @ParameterizedTest(name = "{0}")
  // sqs-restart: a batch whose delete did not reach the stopping ElasticMQ comes back and is translated
  // again; its HL7 is refused as a duplicate because the FIFO deduplication ids survive the restart
  // (FifoDeduplicationStore; docs/measurements.md §14)
  @ValueSource(strings = {"ehr-down", "ehr-drops", "webhook-3x", "sqs-restart"})
  void nothingLostNothingDoubledOrderKept(String scenario) throws Exception {
    LoadRun.Config config = new LoadRun.Config();
    config.count = 16;
    config.rate = 4;
    config.drain = Duration.ofMinutes(3);
    config.runId = "it-" + scenario + "-" + Long.toString(System.currentTimeMillis(), 36);
    // an EHR outage of 0.1 x 60 s
    FaultBench.Row row = FaultBench.scenario(scenario, Signed.REPO, config, 0.1);
    LoadRun.Result r = row.result();
    String figures = scenario + ": events " + r.events() + ", accepted " + r.accepted() + " " + r.outcomes()
        + ", messages " + r.expectedMessages() + ", lost " + r.lost() + ", duplicated " + r.duplicated()
        + ", order violations " + r.orderViolations() + " " + r.disorders();
    assertEquals(r.events(), r.accepted(), "every webhook accepted: " + figures);
    assertTrue(r.expectedMessages() > r.events(), "new patients' registrations are expected too: " + figures);
    assertEquals(0, r.lost(), "lost: " + figures);
    // an ElasticMQ restart may catch the bridge between the EHR's ACK and its delete: that one message
    // is sent again (at least once); nothing else may be
    int allowed = scenario.equals("sqs-restart") ? 1 : 0;
    assertTrue(r.duplicated() <= allowed, "the same MSH-10 acknowledged twice: " + figures);
    assertEquals(0, r.orderViolations(), "a patient's messages out of order: " + figures);
    assertTrue(row.ok(), figures);
  }
}
