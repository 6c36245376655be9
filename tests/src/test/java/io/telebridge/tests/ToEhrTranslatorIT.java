package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Webhook → intake → the to-EHR translator (triggered by the local stack's SQS poller, as Lambda
 * would) → HL7 v2 on the to-EHR FIFO queue, for the right patient, once, in order.
 */
class ToEhrTranslatorIT {

  private static LocalStack stack;
  private static String toEhr;
  private static LogCapture logs;

  @BeforeAll
  static void start() throws IOException {
    logs = new LogCapture();
    // no MLLP bridge here: the test reads the to-EHR queue itself
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")));
    toEhr = stack.queueUrl("ToEhrQueue");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    logs.close();
  }

  private static byte[] event(String sample, String id, String patientId) throws IOException {
    return Signed.event(sample, id, patientId);
  }


  private static void send(byte[] body) throws Exception {
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body).statusCode());
  }

  private static final java.util.Map<String, List<Message>> BY_GROUP = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Receives (and deletes) from a queue, keeping what belongs to other groups for their tests,
   * until {@code expected} messages of {@code group} arrived or the deadline passed.
   */
  private static synchronized List<Message> receive(String queueUrl, String group, int expected, Duration within) {
    String key = queueUrl + "|" + group;
    Instant deadline = Instant.now().plus(within);
    while (BY_GROUP.getOrDefault(key, List.of()).size() < expected && Instant.now().isBefore(deadline)) {
      for (Message m : stack.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl)
          .maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All").build()).messages()) {
        String g = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
        BY_GROUP.computeIfAbsent(queueUrl + "|" + g, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(m);
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
    return List.copyOf(BY_GROUP.getOrDefault(key, List.of()));
  }

  private static String type(Message m) {
    return m.messageAttributes().get("messageType").stringValue();
  }

  private static String segment(Message m, String name) {
    for (String s : m.body().split("\r")) {
      if (s.startsWith(name + "|")) {
        return s;
      }
    }
    return "";
  }

  @Test
  void aBookingForANewPatientBecomesAdtA04ThenSiuS12InThePatientsGroup() throws Exception {
    send(event("appointment.booked.json", "evt-tr-1", "pat-tr-1"));
    List<Message> out = receive(toEhr, "demo-clinic:pat-tr-1", 2, Duration.ofSeconds(20));

    assertEquals(List.of("ADT^A04", "SIU^S12"), out.stream().map(ToEhrTranslatorIT::type).toList());
    for (Message m : out) {
      assertEquals("demo-clinic:pat-tr-1", m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
      assertEquals(m.messageAttributes().get("controlId").stringValue(),
          m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
      assertTrue(segment(m, "MSH").contains(m.messageAttributes().get("controlId").stringValue()));
      assertTrue(segment(m, "PID").contains("pat-tr-1"), "PID-3 carries the platform id");
    }
  }

  @Test
  void laterChangesOfTheSamePatientAreSiuS13AndS15WithoutASecondRegistration() throws Exception {
    send(event("appointment.booked.json", "evt-tr-2a", "pat-tr-2"));
    send(event("appointment.rescheduled.json", "evt-tr-2b", "pat-tr-2"));
    send(event("appointment.cancelled.json", "evt-tr-2c", "pat-tr-2"));
    List<Message> out = receive(toEhr, "demo-clinic:pat-tr-2", 4, Duration.ofSeconds(20));
    assertEquals(List.of("ADT^A04", "SIU^S12", "SIU^S13", "SIU^S15"), out.stream().map(ToEhrTranslatorIT::type).toList());
  }

  @Test
  void aDuplicateWebhookYieldsEachMessageOnce() throws Exception {
    byte[] booking = event("appointment.booked.json", "evt-tr-3", "pat-tr-3");
    send(booking);
    send(booking);
    List<Message> out = receive(toEhr, "demo-clinic:pat-tr-3", 3, Duration.ofSeconds(8));
    assertEquals(List.of("ADT^A04", "SIU^S12"), out.stream().map(ToEhrTranslatorIT::type).toList());
  }

  @Test
  void anOrderTheProfileCannotMapGoesToTheIntakeDeadLetterQueueWithItsReasonAndBlocksNobody() throws Exception {
    send(event("appointment.booked.json", "evt-tr-4a", "pat-tr-4"));
    byte[] orders = new String(event("visit.orders_placed.json", "evt-tr-4b", "pat-tr-4"), StandardCharsets.UTF_8)
        .replace("\"4548-4\"", "\"99999-9\"").getBytes(StandardCharsets.UTF_8);
    send(orders);
    send(event("visit.note_signed.json", "evt-tr-4c", "pat-tr-4"));

    List<Message> out = receive(toEhr, "demo-clinic:pat-tr-4", 3, Duration.ofSeconds(20));
    assertEquals(List.of("ADT^A04", "SIU^S12", "MDM^T02"), out.stream().map(ToEhrTranslatorIT::type).toList(),
        "the refused orders leave nothing on the to-EHR queue and the note follows");
    List<Message> dead = receive(stack.queueUrl("IntakeDeadLetterQueue"), "demo-clinic:pat-tr-4", 1, Duration.ofSeconds(10));
    assertEquals(1, dead.size());
    assertEquals("evt-tr-4b", dead.get(0).messageAttributes().get("eventId").stringValue());
    assertEquals("to-ehr-translator", dead.get(0).messageAttributes().get("failedStage").stringValue());
    String reason = dead.get(0).messageAttributes().get("reason").stringValue();
    assertTrue(reason.contains("ord-5001") && reason.contains("http://loinc.org|99999-9")
        && reason.contains("not mapped in EHR profile generic-epic-like"), reason);
  }

  @Test
  void theTranslatorLogsIdsButNoPatientData() throws Exception {
    send(Signed.sample("edge/patient.registered.escaping.json"));
    List<Message> out = receive(toEhr, "demo-clinic:pat-9001", 1, Duration.ofSeconds(20));
    assertEquals(List.of("ADT^A04"), out.stream().map(ToEhrTranslatorIT::type).toList());
    String text = logs.text();
    assertTrue(text.contains("evt-9001-registered-escaping"), "the translator logs the event id");
    for (String phi : List.of("O'Brien", "Mary&Jane", "Ann~Lee", "1979-02-28", "19790228", "obrien@example.org")) {
      assertFalse(text.contains(phi), "a log line contains patient data");
    }
  }
}
