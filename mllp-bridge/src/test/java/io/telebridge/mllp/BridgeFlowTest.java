package io.telebridge.mllp;

import static io.telebridge.mllp.BridgeHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.mllp.sim.Answer;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.ReceivedMessage;
import io.telebridge.mllp.sim.SimRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The bridge against real peers: ElasticMQ (SQS) and the EHR simulator over TCP on loopback.
 */
class BridgeFlowTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static LocalSqs sqs;
  private EhrSimulator ehr;
  private BridgeHarness h;

  @BeforeAll
  static void startSqs() throws Exception {
    sqs = LocalSqs.start();
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
  }

  @BeforeEach
  void startEhr() throws Exception {
    ehr = EhrSimulator.builder().start();
    h = new BridgeHarness(sqs, ehr);
  }

  @AfterEach
  void stop() {
    h.close();
    ehr.close();
    String all = String.join("", h.logs);
    assertFalse(all.contains(Hl7Samples.FAMILY_NAME), "a log line carried message content");
    assertFalse(all.contains("SIMULATED USER MESSAGE"), "a log line carried ERR-8 text");
  }

  @Test
  void deliversEachPatientsMessagesInOrderOverOneConnectionAndDeletesThemOnAa() throws Exception {
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      for (String patient : List.of("PAT-A", "PAT-B", "PAT-C")) {
        String id = patient + "-" + i;
        h.sendSiu(patient, id);
        sent.add(id);
      }
    }
    h.startBridge(Map.of());

    assertTrue(ehr.awaitCount(15, WAIT));
    await("the queue to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);
    Map<String, List<String>> byPatient = h.arrivalsByPatient();
    for (String patient : List.of("PAT-A", "PAT-B", "PAT-C")) {
      assertEquals(List.of(patient + "-1", patient + "-2", patient + "-3", patient + "-4", patient + "-5"),
          byPatient.get(patient));
    }
    assertEquals(15, ehr.received().size(), "each message exactly once");
    assertEquals(1, ehr.connectionCount(), "one persistent connection");
    assertEquals(1, ehr.received().stream().map(ReceivedMessage::connection).distinct().count());
    await("metrics", WAIT, () -> h.metric("acked") == 15);
    assertEquals(15, h.metric("sent"));
    assertEquals(0, sqs.depth(h.queues.deadLetterQueueUrl()));
    assertEquals(200, h.health("/health"));
    assertEquals(200, h.health("/health/live"));
  }

  @Test
  void retriesAnAeThenDeadLettersItWithItsCodesWhileOtherPatientsKeepFlowing() throws Exception {
    ehr.addRule(SimRule.answer(Answer.AE).forControlId("BAD-1").errorCode("103").errorLocation("SCH^1^8"));
    h.sendSiu("PAT-BAD", "BAD-1");
    h.sendSiu("PAT-BAD", "BAD-2");
    for (int i = 1; i <= 3; i++) {
      h.sendSiu("PAT-OK", "OK-" + i);
    }
    h.startBridge(Map.of("MAX_NACK_RETRIES", "2", "NACK_RETRY_DELAY_SECONDS", "1"));

    await("BAD-2 to be delivered after BAD-1 was given up", WAIT, () -> h.count("BAD-2") == 1);
    await("the queue to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);

    assertEquals(3, h.count("BAD-1"), "first send + 2 retries");
    List<String> order = ehr.controlIds();
    int lastBad = order.lastIndexOf("BAD-1");
    assertTrue(order.indexOf("OK-3") < lastBad, "the other patient's messages flowed during the retries: " + order);
    assertTrue(order.indexOf("BAD-2") > lastBad, "the patient's next message waited for the bad one: " + order);
    assertEquals(List.of("OK-1", "OK-2", "OK-3"), h.arrivalsByPatient().get("PAT-OK"));

    List<Message> dead = sqs.drain(h.queues.deadLetterQueueUrl());
    assertEquals(1, dead.size());
    Map<String, String> attributes = dead.get(0).messageAttributes().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stringValue()));
    assertEquals("AE", attributes.get("ackCode"));
    assertEquals("103", attributes.get("errCode"));
    assertEquals("SCH^1^8", attributes.get("errLocation"));
    assertEquals("E", attributes.get("errSeverity"));
    assertEquals("BAD-1", attributes.get("controlId"));
    assertEquals("SIU^S12", attributes.get("messageType"));
    assertEquals("evt-BAD-1", attributes.get("eventId"));
    assertEquals("3", attributes.get("attempts"));
    assertEquals("nack-retries-exhausted", attributes.get("reason"));
    assertEquals("PAT-BAD", dead.get(0).attributes().get(
        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.MESSAGE_GROUP_ID));
    assertEquals(Hl7Samples.siuS12("BAD-1", "PAT-BAD"), dead.get(0).body(), "the message itself, for a redrive");
    for (MessageAttributeValue v : dead.get(0).messageAttributes().values()) {
      assertFalse(v.stringValue().contains("SIMULATED"), "no ERR-8 text in the DLQ attributes");
    }
    await("metrics", WAIT, () -> h.metric("deadLettered") == 1);
    assertEquals(3, h.metric("nacked"));
    assertEquals(2, h.metric("retried"));
    assertEquals(4, h.metric("acked"));
  }

  @Test
  void deadLettersAnArAtOnceWhenNoRetriesAreConfigured() throws Exception {
    ehr.addRule(SimRule.answer(Answer.AR).forPatient("PAT-R"));
    h.sendSiu("PAT-R", "R-1");
    h.startBridge(Map.of("MAX_NACK_RETRIES", "0"));
    await("the DLQ to hold it", WAIT, () -> sqs.depth(h.queues.deadLetterQueueUrl()) == 1);
    Message dead = sqs.drain(h.queues.deadLetterQueueUrl()).get(0);
    assertEquals("AR", dead.messageAttributes().get("ackCode").stringValue());
    assertEquals("200", dead.messageAttributes().get("errCode").stringValue());
    assertEquals(1, h.count("R-1"));
    await("the source to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);
  }

  @Test
  void treatsACommitAcceptAsDelivered() throws Exception {
    ehr.addRule(SimRule.answer(Answer.CA));
    h.sendSiu("PAT-C", "C-1");
    h.startBridge(Map.of());
    await("the queue to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);
    assertEquals(1, h.count("C-1"));
    assertEquals(0, sqs.depth(h.queues.deadLetterQueueUrl()));
  }

  @Test
  void deliversEverythingOnceAndInOrderAfterTheEhrWasDownForAWhile() throws Exception {
    h.startBridge(Map.of());
    h.sendSiu("PAT-1", "PRE-1");
    assertTrue(ehr.awaitCount(1, WAIT));
    await("the connection to be in use", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);

    ehr.stopListening(); // the EHR goes down: connections closed, connects refused
    for (int i = 1; i <= 4; i++) {
      h.sendSiu("PAT-1", "P1-" + i);
      h.sendSiu("PAT-2", "P2-" + i);
    }
    await("the bridge to notice the outage", WAIT, () -> {
      try {
        return h.health("/health") == 503;
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(200, h.health("/health/live"), "alive while the EHR is down: no task churn");
    Thread.sleep(2_000);
    assertEquals(1, ehr.received().size(), "nothing got through while down");

    ehr.startListening();
    assertTrue(ehr.awaitCount(9, WAIT));
    await("the queue to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);
    Thread.sleep(300);
    assertEquals(9, ehr.received().size(), "each message once");
    assertEquals(List.of("PRE-1", "P1-1", "P1-2", "P1-3", "P1-4"), h.arrivalsByPatient().get("PAT-1"));
    assertEquals(List.of("P2-1", "P2-2", "P2-3", "P2-4"), h.arrivalsByPatient().get("PAT-2"));
    await("healthy again", WAIT, () -> {
      try {
        return h.health("/health") == 200;
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  void closesTheConnectionOnALateAckAndSendsTheMessageAgainOnANewOne() throws Exception {
    ehr.addRule(SimRule.answer(Answer.AA).delay(Duration.ofMillis(2_500)).forControlId("SLOW-1").times(1));
    h.sendSiu("PAT-S", "SLOW-1");
    h.sendSiu("PAT-S", "SLOW-2");
    h.sendSiu("PAT-T", "OTHER-1");
    h.startBridge(Map.of("ACK_TIMEOUT_MS", "1000"));

    await("everything delivered", WAIT, () -> h.count("SLOW-2") == 1 && h.count("OTHER-1") == 1);
    await("the queue to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);
    Thread.sleep(2_000); // the late ACK has been written by now (into a closed connection)

    assertEquals(2, h.count("SLOW-1"), "sent again after the timeout: at least once, the EHR dedupes on MSH-10");
    assertEquals(1, h.count("SLOW-2"), "the message after it: once");
    List<ReceivedMessage> slow = ehr.received().stream().filter(m -> m.controlId().equals("SLOW-1")).toList();
    assertNotEquals(slow.get(0).connection(), slow.get(1).connection(), "the resend went over a new connection");
    ReceivedMessage next = ehr.received().stream().filter(m -> m.controlId().equals("SLOW-2")).findFirst().orElseThrow();
    assertNotEquals(slow.get(0).connection(), next.connection(),
        "nothing else was sent on the connection that still owed an ACK");
    assertEquals(List.of("SLOW-1", "SLOW-2"), h.arrivalsByPatient().get("PAT-S"));
    assertEquals(0, sqs.depth(h.queues.deadLetterQueueUrl()));
    assertEquals(1, h.metric("linkFailures"));
  }

  @Test
  void treatsAnAckWithAnotherControlIdAsAFailureAndSendsAgain() throws Exception {
    ehr.addRule(SimRule.answer(Answer.WRONG_CONTROL_ID).times(1));
    h.sendSiu("PAT-W", "W-1");
    h.sendSiu("PAT-W", "W-2");
    h.startBridge(Map.of());
    await("the queue to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);
    assertEquals(2, h.count("W-1"));
    assertEquals(1, h.count("W-2"));
    assertEquals(2, ehr.connectionCount(), "the connection was closed after the mismatched ACK");
    assertEquals(List.of("W-1", "W-2"), h.arrivalsByPatient().get("PAT-W"));
    assertTrue(String.join("", h.logs).contains("MSA-2 does not match"));
  }

  @Test
  void sendsAgainWhenTheEhrDropsTheConnectionWithoutAnswering() throws Exception {
    ehr.addRule(SimRule.answer(Answer.DROP).times(1));
    h.sendSiu("PAT-D", "D-1");
    h.startBridge(Map.of());
    await("the queue to be empty", WAIT, () -> sqs.depth(h.queues.queueUrl()) == 0);
    assertEquals(2, h.count("D-1"));
    assertEquals(0, sqs.depth(h.queues.deadLetterQueueUrl()));
  }

  @Test
  void reconnectsBeforeSendingWhenTheEhrClosedAnIdleConnection() throws Exception {
    h.startBridge(Map.of("IDLE_PROBE_MS", "100"));
    h.sendSiu("PAT-I", "I-1");
    await("the first delivery", WAIT, () -> h.count("I-1") == 1 && sqs.depth(h.queues.queueUrl()) == 0);
    ehr.stopListening(); // closes the open connection, as an EHR's idle timeout would
    ehr.startListening();
    Thread.sleep(300);
    h.sendSiu("PAT-I", "I-2");
    await("the second delivery", WAIT, () -> h.count("I-2") == 1 && sqs.depth(h.queues.queueUrl()) == 0);
    assertEquals(0, h.metric("linkFailures"), "the closed connection was noticed before sending into it");
    assertEquals(2, ehr.connectionCount());
  }

  @Test
  void deadLettersAMessageThatDoesNotFitInAFrame() throws Exception {
    String big = Hl7Samples.siuS12("BIG-1", "PAT-BIG") + "NTE|1||" + "x".repeat(3000) + "\r";
    sqs.sendHl7(h.queues.queueUrl(), "PAT-BIG", "BIG-1", "SIU^S12", big);
    h.sendSiu("PAT-BIG", "BIG-2");
    h.startBridge(Map.of("MAX_FRAME_BYTES", "2048"));
    await("the next message", WAIT, () -> h.count("BIG-2") == 1);
    Message dead = sqs.drain(h.queues.deadLetterQueueUrl()).get(0);
    assertEquals("unsendable-frame-too-large", dead.messageAttributes().get("reason").stringValue());
    assertEquals(0, h.count("BIG-1"));
  }

  @Test
  void deadLettersAClaimCheckItCannotRedeemWithTheReasonAndTheClaimCheckAsBody() throws Exception {
    String claim = io.telebridge.core.claimcheck.ClaimCheck.of("telebridge-local-payloadbucket",
        "to-ehr/demo-clinic/" + "a".repeat(64) + ".hl7", "MSH|x".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toJson();
    sqs.sendHl7(h.queues.queueUrl(), "PAT-CC", "CC-1", "MDM^T02", claim);
    h.sendSiu("PAT-CC", "CC-2");
    h.startBridge(Map.of()); // no PAYLOAD_BUCKET
    await("the next message", WAIT, () -> h.count("CC-2") == 1);
    Message dead = sqs.drain(h.queues.deadLetterQueueUrl()).get(0);
    assertTrue(dead.messageAttributes().get("reason").stringValue().startsWith("unsendable-claim-check: "),
        dead.messageAttributes().get("reason").stringValue());
    assertEquals(claim, dead.body(), "the DLQ keeps the claim check, redeemable once the bucket is configured");
    assertEquals(0, h.count("CC-1"), "never sent as HL7");
  }

  @Test
  void writesTheBytesInTheCharsetMsh18NamesAndDeadLettersTextThatCharsetCannotCarry() throws Exception {
    String latin1 = Hl7Samples.adtA04("L1-1", "PAT-L1").replace("|P|2.5.1\r", "|P|2.5.1||||||8859/1\r")
        .replace(Hl7Samples.FAMILY_NAME + "^Jane", "Muñoz^José");
    String vietnamese = latin1.replace("L1-1", "L1-2").replace("Muñoz^José", "Nguyễn^Thị");
    sqs.sendHl7(h.queues.queueUrl(), "PAT-L1", "L1-1", "ADT^A04", latin1);
    sqs.sendHl7(h.queues.queueUrl(), "PAT-L1", "L1-2", "ADT^A04", vietnamese);
    h.sendSiu("PAT-L1", "L1-3");
    h.startBridge(Map.of());
    await("the next message", WAIT, () -> h.count("L1-3") == 1);
    ReceivedMessage a04 = ehr.received().stream().filter(m -> m.controlId().equals("L1-1")).findFirst().orElseThrow();
    assertTrue(a04.text().contains("Muñoz^José"), "the simulator decoded the bytes as 8859/1 and got the letters back");
    Message dead = sqs.drain(h.queues.deadLetterQueueUrl()).get(0);
    assertEquals("unsendable-charset", dead.messageAttributes().get("reason").stringValue());
    assertEquals(0, h.count("L1-2"), "never sent with '?' in place of letters");
  }

  @Test
  void stopsPollingAndReturnsTheRestOfTheBatchWhenAskedToStop() throws Exception {
    ehr.addRule(SimRule.answer(Answer.AA).delay(Duration.ofMillis(1_500)).forControlId("F-1"));
    for (int i = 1; i <= 4; i++) {
      h.sendSiu("PAT-F", "F-" + i);
    }
    MllpBridgeService bridge = h.startBridge(Map.of());
    assertTrue(ehr.awaitCount(1, WAIT));
    long start = System.nanoTime();
    assertTrue(bridge.shutdown(Duration.ofSeconds(5)), "drained");
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    assertEquals(List.of("F-1"), ehr.controlIds(), "the message in flight was finished, nothing more sent");
    await("the rest back on the queue", WAIT, () -> sqs.visible(h.queues.queueUrl()) == 3);
    assertEquals(3, sqs.depth(h.queues.queueUrl()), "the ACKed message was deleted");
  }
}
