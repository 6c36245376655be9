package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.hl7v2.util.Terser;
import io.telebridge.hl7v2.ControlIds;
import io.telebridge.hl7v2.Hl7Context;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 12 (HL7 v2 half), on the local stack: the signed sample events after the visit — the note, the
 * orders, the charges — go intake → translator → to-EHR queue → the MLLP bridge → the EHR simulator over
 * TCP, in the patient's order after the registration and the booking, each ACKed; a NACK goes to the
 * DLQ and a redrive delivers it once — the note (MDM^T02), the orders (ORM^O01) and the charges (DFT^P03) —;
 * nothing of it reaches the intake DLQ.
 */
class VisitFlowsIT {

  private static final Duration WAIT = Duration.ofSeconds(40);
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

  private static void send(String sample, String id, String patient) throws Exception {
    byte[] body = Signed.event(sample, id, patient);
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body).statusCode());
  }

  private static List<ReceivedMessage> at(String patient) {
    return EhrSide.at(ehr, patient);
  }

  /** What the EHR accepted for a patient, in order of arrival. */
  private static List<String> accepted(String patient) {
    List<String> out = new ArrayList<>();
    for (ReceivedMessage m : at(patient)) {
      if (m.answer() == Answer.AA) {
        out.add(m.messageType());
      }
    }
    return out;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    EhrSide.await(ehr, what, WAIT, condition);
  }

  private static int depth(String queue) {
    return EhrSide.depth(stack, queue);
  }

  @Test
  void aSignedNoteReachesTheEhrAsMdmT02AfterTheRegistrationAndTheBookingEachAccepted() throws Exception {
    send("patient.registered.json", "evt-vf-1a", "pat-vf-1");
    send("appointment.booked.json", "evt-vf-1b", "pat-vf-1");
    send("visit.note_signed.json", "evt-vf-1c", "pat-vf-1");
    await("A04, S12 and T02 accepted", () -> accepted("pat-vf-1").size() >= 3);
    assertEquals(List.of("ADT^A04", "SIU^S12", "MDM^T02"), at("pat-vf-1").stream().map(ReceivedMessage::messageType).toList());
    assertEquals(List.of("ADT^A04", "SIU^S12", "MDM^T02"), accepted("pat-vf-1"));

    ReceivedMessage mdm = at("pat-vf-1").get(2);
    assertEquals(ControlIds.of("demo-clinic", "evt-vf-1c", "MDM^T02"), mdm.controlId());
    Terser t = new Terser(Hl7Context.outboundParser().parse(mdm.text()));
    assertEquals("note-4001", t.get("/TXA-12-1"));
    assertEquals("vis-2001", t.get("/PV1-19-1"));
    assertEquals("E10501", t.get("/PV1-7-1"), "the attending from the profile's provider map");
    assertEquals("Synthetic note for testing.", t.get("/OBSERVATION(0)/OBX-5"));
    assertEquals("P: Sleep hygiene, HbA1c and lipid panel, follow up in 4 weeks.", t.get("/OBSERVATION(4)/OBX-5"));
  }

  @Test
  void ordersBecomeOrmO01AndChargesDftP03InThePatientsOrder() throws Exception {
    send("patient.registered.json", "evt-vf-2a", "pat-vf-2");
    send("visit.orders_placed.json", "evt-vf-2b", "pat-vf-2");
    send("visit.charges_posted.json", "evt-vf-2c", "pat-vf-2");
    await("A04, O01 and P03 accepted", () -> accepted("pat-vf-2").size() >= 3);
    assertEquals(List.of("ADT^A04", "ORM^O01", "DFT^P03"), accepted("pat-vf-2"));

    Terser orm = new Terser(Hl7Context.outboundParser().parse(at("pat-vf-2").get(1).text()));
    assertEquals("NW", orm.get("/ORDER(0)/ORC-1"));
    assertEquals("ord-5001", orm.get("/ORDER(0)/ORC-2-1"));
    assertEquals("LAB2001", orm.get("/ORDER(0)/ORDER_DETAIL/OBR-4-1"), "the profile's orderable for LOINC 4548-4");
    assertEquals("ord-5002", orm.get("/ORDER(1)/ORC-2-1"));
    Terser dft = new Terser(Hl7Context.outboundParser().parse(at("pat-vf-2").get(2).text()));
    assertEquals("chg-6001", dft.get("/FINANCIAL/FT1-2"));
    assertEquals("99204", dft.get("/FINANCIAL/FT1-25-1"));
    assertEquals("95", dft.get("/FINANCIAL/FT1-26-1"));
    assertEquals("G44.209", dft.get("/DG1(0)-3-1"));
  }

  @Test
  void aNackedNoteGoesToTheDeadLetterQueueAndARedriveDeliversItOnce() throws Exception {
    String controlId = ControlIds.of("demo-clinic", "evt-vf-3b", "MDM^T02");
    // the EHR refuses the note twice (first send + MAX_NACK_RETRIES=1)
    ehr.addRule(SimRule.answer(Answer.AE).forControlId(controlId).times(2).errorCode("207"));
    send("patient.registered.json", "evt-vf-3a", "pat-vf-3");
    send("visit.note_signed.json", "evt-vf-3b", "pat-vf-3");
    send("visit.charges_posted.json", "evt-vf-3c", "pat-vf-3");

    await("the refused MDM^T02 in the DLQ", () -> depth("ToEhrDeadLetterQueue") == 1);
    await("the charges after it", () -> accepted("pat-vf-3").contains("DFT^P03"));
    Message dead = stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl("ToEhrDeadLetterQueue"))
        .messageAttributeNames("All").visibilityTimeout(0)).messages().get(0);
    assertEquals("MDM^T02", dead.messageAttributes().get("messageType").stringValue());
    assertEquals("AE", dead.messageAttributes().get("ackCode").stringValue());
    assertEquals("207", dead.messageAttributes().get("errCode").stringValue());
    assertEquals(controlId, dead.messageAttributes().get("controlId").stringValue());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Cli.run(new String[] {"redrive", "ToEhrDeadLetterQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
    await("the redriven note accepted", () -> at("pat-vf-3").stream()
        .anyMatch(m -> m.controlId().equals(controlId) && m.answer() == Answer.AA));
    Thread.sleep(2_000);
    assertEquals(1, at("pat-vf-3").stream().filter(m -> m.controlId().equals(controlId) && m.answer() == Answer.AA).count(),
        "delivered once");
    assertEquals(0, depth("ToEhrDeadLetterQueue"));
  }

  /** The same for the orders (ORM^O01, refused AE) and the charges (DFT^P03, rejected AR) of one patient. */
  @Test
  void nackedOrdersAndChargesGoToTheDeadLetterQueueAndARedriveDeliversEachOnce() throws Exception {
    String orm = ControlIds.of("demo-clinic", "evt-vf-5b", "ORM^O01");
    String dft = ControlIds.of("demo-clinic", "evt-vf-5c", "DFT^P03");
    ehr.addRule(SimRule.answer(Answer.AE).forControlId(orm).times(2).errorCode("207"));
    ehr.addRule(SimRule.answer(Answer.AR).forControlId(dft).times(2).errorCode("200"));
    send("patient.registered.json", "evt-vf-5a", "pat-vf-5");
    send("visit.orders_placed.json", "evt-vf-5b", "pat-vf-5");
    send("visit.charges_posted.json", "evt-vf-5c", "pat-vf-5");
    send("visit.note_signed.json", "evt-vf-5d", "pat-vf-5");

    await("the refused ORM^O01 and DFT^P03 in the DLQ", () -> depth("ToEhrDeadLetterQueue") == 2);
    await("the note after them", () -> accepted("pat-vf-5").contains("MDM^T02"));
    java.util.Map<String, Message> dead = new java.util.HashMap<>();
    for (int i = 0; i < 5 && dead.size() < 2; i++) {
      for (Message m : stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl("ToEhrDeadLetterQueue"))
          .messageAttributeNames("All").maxNumberOfMessages(10).visibilityTimeout(0)).messages()) {
        dead.put(m.messageAttributes().get("messageType").stringValue(), m);
      }
    }
    assertEquals(java.util.Set.of("ORM^O01", "DFT^P03"), dead.keySet());
    assertEquals(orm, dead.get("ORM^O01").messageAttributes().get("controlId").stringValue());
    assertEquals("AE", dead.get("ORM^O01").messageAttributes().get("ackCode").stringValue());
    assertEquals("207", dead.get("ORM^O01").messageAttributes().get("errCode").stringValue());
    assertEquals(dft, dead.get("DFT^P03").messageAttributes().get("controlId").stringValue());
    assertEquals("AR", dead.get("DFT^P03").messageAttributes().get("ackCode").stringValue());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Cli.run(new String[] {"redrive", "ToEhrDeadLetterQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
    await("the redriven orders and charges accepted", () -> at("pat-vf-5").stream()
        .filter(m -> (m.controlId().equals(orm) || m.controlId().equals(dft)) && m.answer() == Answer.AA).count() == 2);
    Thread.sleep(2_000);
    for (String id : List.of(orm, dft)) {
      assertEquals(1, at("pat-vf-5").stream().filter(m -> m.controlId().equals(id) && m.answer() == Answer.AA).count(),
          "delivered once: " + id);
    }
    assertEquals(List.of("ADT^A04", "MDM^T02", "ORM^O01", "DFT^P03"), accepted("pat-vf-5"),
        "the redriven ones after the note, the orders before the charges");
    assertEquals(0, depth("ToEhrDeadLetterQueue"));
    assertEquals(0, depth("IntakeDeadLetterQueue"));
  }

  @Test
  void visitEventsNoLongerReachTheIntakeDeadLetterQueue() throws Exception {
    send("patient.registered.json", "evt-vf-4a", "pat-vf-4");
    send("visit.note_signed.json", "evt-vf-4b", "pat-vf-4");
    send("visit.orders_placed.json", "evt-vf-4c", "pat-vf-4");
    send("visit.charges_posted.json", "evt-vf-4d", "pat-vf-4");
    await("all four accepted", () -> accepted("pat-vf-4").size() >= 4);
    assertEquals(List.of("ADT^A04", "MDM^T02", "ORM^O01", "DFT^P03"), accepted("pat-vf-4"));
    assertEquals(0, depth("IntakeDeadLetterQueue"));
    assertTrue(at("pat-vf-4").stream().allMatch(m -> m.answer() == Answer.AA));
  }
}
