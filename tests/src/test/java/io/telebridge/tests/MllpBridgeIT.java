package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.Cli;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.mllp.sim.Answer;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.ReceivedMessage;
import io.telebridge.mllp.sim.SimRule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 3, item 10, the EHR end: signed webhooks → intake → translator → ToEhrQueue → the MLLP bridge
 * (in the local stack, configured from the template's task definition) → the EHR simulator over TCP.
 */
class MllpBridgeIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static LocalStack stack;
  private static EhrSimulator ehr;

  @BeforeAll
  static void start() throws IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .runBridge(true)
        .bridgeEnvironment("MAX_NACK_RETRIES", "1")
        .bridgeEnvironment("NACK_RETRY_DELAY_SECONDS", "1"));
    ehr = stack.ehrSimulator();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static byte[] event(String sample, String id, String patientId) throws IOException {
    return Signed.event(sample, id, patientId);
  }


  private static void send(byte[] body) throws Exception {
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body).statusCode());
  }

  private static List<ReceivedMessage> at(String patient) {
    return EhrSide.at(ehr, patient);
  }

  /** Message types the EHR got for a patient, in order of arrival, repeats of a control id collapsed. */
  private static List<String> types(String patient) {
    List<String> out = new ArrayList<>();
    String last = null;
    for (ReceivedMessage m : at(patient)) {
      if (!m.controlId().equals(last)) {
        out.add(m.messageType());
      }
      last = m.controlId();
    }
    return out;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    EhrSide.await(ehr, what, timeout, condition);
  }

  private static int depth(String queue) {
    return EhrSide.depth(stack, queue);
  }

  @Test
  void theBridgeTakesItsEnvironmentFromTheTemplatesTaskDefinition() {
    Map<String, String> env = stack.bridgeEnvironment();
    assertEquals(stack.queueUrl("ToEhrQueue"), env.get("TO_EHR_QUEUE_URL"));
    assertEquals(stack.queueUrl("ToEhrDeadLetterQueue"), env.get("TO_EHR_DLQ_URL"));
    assertEquals(Integer.toString(ehr.port()), env.get("EHR_PORT"));
  }

  @Test
  void aSignedBookingForANewPatientReachesTheEhrAsAdtA04ThenSiuS12BothAccepted() throws Exception {
    send(event("appointment.booked.json", "evt-mb-1", "pat-mb-1"));
    await("ADT^A04 and SIU^S12 at the EHR", WAIT, () -> at("pat-mb-1").size() >= 2);
    assertEquals(List.of("ADT^A04", "SIU^S12"), at("pat-mb-1").stream().map(ReceivedMessage::messageType).toList());
    assertTrue(at("pat-mb-1").stream().allMatch(m -> m.answer() == Answer.AA));
  }

  @Test
  void aRescheduleAndACancellationFollowAsS13AndS15InOrder() throws Exception {
    send(event("appointment.booked.json", "evt-mb-2a", "pat-mb-2"));
    send(event("appointment.rescheduled.json", "evt-mb-2b", "pat-mb-2"));
    send(event("appointment.cancelled.json", "evt-mb-2c", "pat-mb-2"));
    await("four messages at the EHR", WAIT, () -> at("pat-mb-2").size() >= 4);
    assertEquals(List.of("ADT^A04", "SIU^S12", "SIU^S13", "SIU^S15"), types("pat-mb-2"));
  }

  @Test
  void aPatientNamedWithHl7DelimitersArrivesIntactAfterEscaping() throws Exception {
    send(Signed.sample("edge/patient.registered.escaping.json"));
    await("the registration at the EHR", WAIT, () -> !at("pat-9001").isEmpty());
    ReceivedMessage adt = at("pat-9001").get(0);
    assertEquals("ADT^A04", adt.messageType());
    assertTrue(adt.text().contains("O'Brien\\F\\Smith\\S\\Jr"), "escaped on the wire");
    ca.uhn.hl7v2.model.Message parsed = io.telebridge.hl7v2.Hl7Context.outboundParser().parse(adt.text());
    ca.uhn.hl7v2.util.Terser terser = new ca.uhn.hl7v2.util.Terser(parsed);
    assertEquals("O'Brien|Smith^Jr", terser.get("/PID-5-1"), "the EHR reads back the name as sent");
    assertEquals(Answer.AA, adt.answer());
  }

  @Test
  void aDuplicateWebhookReachesTheEhrOnce() throws Exception {
    byte[] booking = event("appointment.booked.json", "evt-mb-3", "pat-mb-3");
    send(booking);
    send(booking);
    await("the booking at the EHR", WAIT, () -> at("pat-mb-3").size() >= 2);
    Thread.sleep(3_000);
    assertEquals(List.of("ADT^A04", "SIU^S12"), at("pat-mb-3").stream().map(ReceivedMessage::messageType).toList());
  }

  @Test
  void anAeGoesToTheDeadLetterQueueWithItsReasonWhileOthersFlowAndARedriveAfterTheFixDeliversItOnce()
      throws Exception {
    // the EHR refuses this patient's first message twice (first send + MAX_NACK_RETRIES=1)
    ehr.addRule(SimRule.answer(Answer.AE).forPatient("pat-mb-4").times(2).errorCode("207"));
    send(event("appointment.booked.json", "evt-mb-4", "pat-mb-4"));
    send(event("appointment.booked.json", "evt-mb-5", "pat-mb-5"));

    await("the other patient's messages", WAIT, () -> at("pat-mb-5").size() >= 2);
    await("the refused ADT^A04 in the DLQ", WAIT, () -> depth("ToEhrDeadLetterQueue") == 1);
    await("the patient's next message after it", WAIT, () -> types("pat-mb-4").size() == 2);
    assertEquals(List.of(Answer.AE, Answer.AE, Answer.AA), at("pat-mb-4").stream().map(ReceivedMessage::answer).toList());

    Message dead = stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl("ToEhrDeadLetterQueue"))
        .messageAttributeNames("All").visibilityTimeout(0)).messages().get(0);
    assertEquals("AE", dead.messageAttributes().get("ackCode").stringValue());
    assertEquals("207", dead.messageAttributes().get("errCode").stringValue());
    assertEquals("ADT^A04", dead.messageAttributes().get("messageType").stringValue());
    assertEquals("nack-retries-exhausted", dead.messageAttributes().get("reason").stringValue());
    String controlId = dead.messageAttributes().get("controlId").stringValue();

    // the fix: the EHR accepts it now; ops redrive the DLQ (the project's command)
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Cli.run(new String[] {"redrive", "ToEhrDeadLetterQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
    await("the redriven message accepted", WAIT, () -> at("pat-mb-4").stream()
        .filter(m -> m.controlId().equals(controlId) && m.answer() == Answer.AA).count() == 1);
    Thread.sleep(2_000);
    assertEquals(1, at("pat-mb-4").stream().filter(m -> m.controlId().equals(controlId) && m.answer() == Answer.AA).count(),
        "delivered once");
    assertEquals(0, depth("ToEhrDeadLetterQueue"));
  }

  /** The same HL7 message queued again past SQS FIFO's 5-minute deduplication window: a new deduplication id. */
  private static void queueHl7(String tenant, String group, String controlId, String body, String deduplicationId) {
    java.util.Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> attributes = new java.util.LinkedHashMap<>();
    for (String[] kv : new String[][] {{"tenant", tenant}, {"controlId", controlId}, {"messageType", "SIU^S12"}}) {
      attributes.put(kv[0], software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String")
          .stringValue(kv[1]).build());
    }
    stack.sqs().sendMessage(b -> b.queueUrl(stack.queueUrl("ToEhrQueue")).messageGroupId(group)
        .messageDeduplicationId(deduplicationId).messageBody(body).messageAttributes(attributes));
  }

  private static String siu(String controlId, String patient) {
    return "MSH|^~\\&|TELEBRIDGE|TELEHEALTH|EHR|CLINIC|20260115093000-0500||SIU^S12^SIU_S12|" + controlId + "|P|2.5.1\r"
        + "SCH|APT-" + controlId + "^TELEBRIDGE||||||Follow-up^Follow-up visit|TELEHEALTH^Telehealth visit|30|min"
        + "|^^30^20260120140000-0500^20260120143000-0500\r"
        + "PID|1||" + patient + "^^^PLATFORM^PI||ZZSYNTHETIC^Test||19800101|F\r"
        + "PV1|1|O\r";
  }

  private static long accepted(String patient, String controlId) {
    return at(patient).stream().filter(m -> m.controlId().equals(controlId) && m.answer() == Answer.AA).count();
  }

  @Test
  void aMessageQueuedAgainAfterTheDeduplicationWindowReachesTheEhrOnceAndAReplayOfItAgain() throws Exception {
    String ledgerTable = stack.tableName("IdempotencyTable");
    assertEquals(ledgerTable, stack.bridgeEnvironment().get("SENT_LEDGER_TABLE"), "the task definition's sent ledger");
    String controlId = "SL" + Long.toString(System.nanoTime(), 36).toUpperCase(java.util.Locale.ROOT);
    String body = siu(controlId, "pat-mb-9");
    queueHl7("default", "default|pat-mb-9", controlId, body, "first-" + controlId);
    await("the first copy accepted", WAIT, () -> accepted("pat-mb-9", controlId) == 1);
    await("the first copy deleted", WAIT, () -> depth("ToEhrQueue") == 0);
    assertTrue(stack.dynamoDb().getItem(b -> b.tableName(ledgerTable).consistentRead(true).key(java.util.Map.of("pk",
        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("sent|default|" + controlId)))).hasItem(),
        "recorded in the ledger");

    // the same message again, as a redelivered translator batch queues it after the window; and another tenant's
    // message with the same MSH-10 (a different key), which must go
    queueHl7("default", "default|pat-mb-9", controlId, body, "again-" + controlId);
    queueHl7("other", "other|pat-mb-10", controlId, siu(controlId, "pat-mb-10"), "other-" + controlId);
    await("the other tenant's message accepted", WAIT, () -> accepted("pat-mb-10", controlId) == 1);
    await("the copy settled", WAIT, () -> depth("ToEhrQueue") == 0);
    Thread.sleep(2_000);
    assertEquals(1, at("pat-mb-9").stream().filter(m -> m.controlId().equals(controlId)).count(), "the copy was not sent");
    assertEquals(0, depth("ToEhrDeadLetterQueue"));

    // a deliberate re-send: the replay path's own target (./tb replay, the console) marks it replayOf
    new io.telebridge.aws.SqsReplayTarget(stack.sqs(), stack.queueUrl("ToEhrQueue"), stack.queueUrl("IntakeQueue"))
        .send(new io.telebridge.core.journal.ArchivedMessage("default", "hl7:" + controlId, "default|pat-mb-9", body,
            java.util.Map.of("tenant", "default", "controlId", controlId, "messageType", "SIU^S12")), "replay-" + controlId);
    await("the replay accepted", WAIT, () -> accepted("pat-mb-9", controlId) == 2);
  }

  @Test
  void afterTheEhrWasDownFor20SecondsEverythingArrivesOnceInOrderPerPatient() throws Exception {
    await("earlier tests' messages settled", WAIT, () -> depth("ToEhrQueue") == 0);
    ehr.stopListening();
    long down = System.nanoTime();
    send(event("appointment.booked.json", "evt-mb-6a", "pat-mb-6"));
    send(event("appointment.booked.json", "evt-mb-7a", "pat-mb-7"));
    send(event("appointment.rescheduled.json", "evt-mb-6b", "pat-mb-6"));
    send(event("appointment.booked.json", "evt-mb-8a", "pat-mb-8"));
    send(event("appointment.cancelled.json", "evt-mb-6c", "pat-mb-6"));
    Thread.sleep(Math.max(0, 20_000 - (System.nanoTime() - down) / 1_000_000));
    assertEquals(0, at("pat-mb-6").size() + at("pat-mb-7").size() + at("pat-mb-8").size(), "nothing while down");
    ehr.startListening();

    await("everything after the outage", Duration.ofSeconds(60),
        () -> at("pat-mb-6").size() >= 4 && at("pat-mb-7").size() >= 2 && at("pat-mb-8").size() >= 2);
    Thread.sleep(2_000);
    assertEquals(List.of("ADT^A04", "SIU^S12", "SIU^S13", "SIU^S15"),
        at("pat-mb-6").stream().map(ReceivedMessage::messageType).toList(), "once each, in order");
    assertEquals(List.of("ADT^A04", "SIU^S12"), at("pat-mb-7").stream().map(ReceivedMessage::messageType).toList());
    assertEquals(List.of("ADT^A04", "SIU^S12"), at("pat-mb-8").stream().map(ReceivedMessage::messageType).toList());
  }
}
