package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.hl7v2.util.Terser;
import io.telebridge.core.claimcheck.ClaimCheck;
import io.telebridge.core.claimcheck.ClaimChecks;
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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 12 item 7 on the local stack: a signed note larger than a queue message goes intake → moto's S3
 * (before the intake queue) → a claim check through the intake FIFO → the translator redeems it (verified)
 * → its MDM^T02, too large for the to-EHR queue, → S3 again → a claim check → the MLLP bridge redeems it →
 * the EHR simulator over TCP, ACKed, once, after the patient's booking. A note whose MDM exceeds the EHR
 * profile's maxMessageBytes is dead-lettered with the reason; a NACKed claim-checked MDM is dead-lettered,
 * redriven and delivered once.
 */
class ClaimCheckIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static LocalStack stack;
  private static EhrSimulator ehr;
  private static S3Client s3;
  private static String bucket;

  @BeforeAll
  static void start() throws IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .runBridge(true)
        .bridgeEnvironment("MAX_NACK_RETRIES", "1")
        .bridgeEnvironment("NACK_RETRY_DELAY_SECONDS", "1"));
    ehr = stack.ehrSimulator();
    s3 = stack.motoClientBuilder(S3Client.builder()).forcePathStyle(true).build();
    bucket = stack.resolver().registered("PayloadBucket").ref();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  /** Synthetic note text of about {@code bytes}: paragraphs of ~1,000 characters (one TX OBX each). */
  static String noteText(int bytes) {
    StringBuilder text = new StringBuilder(bytes + 1_100);
    String filler = "Synthetic long-note filler sentence for the claim check test, nothing clinical in it. ";
    for (int p = 1; text.length() < bytes; p++) {
      StringBuilder para = new StringBuilder("Paragraph ").append(p).append(": ");
      while (para.length() < 1_000) {
        para.append(filler);
      }
      text.append(para.toString().strip()).append('\n'); // HL7 drops a TX line's trailing blanks
    }
    return text.toString();
  }

  /** The sample note with its content replaced by {@code text} (JSON-escaped: only LF needs it here). */
  static byte[] note(String id, String patient, String text) throws IOException {
    String sample = new String(Signed.event("visit.note_signed.json", id, patient), StandardCharsets.UTF_8);
    String content = sample.replaceAll("(?s).*\"content\": (\"[^\"]*\").*", "$1");
    return sample.replace("\"content\": " + content, "\"content\": \"" + text.replace("\n", "\\n") + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> post(byte[] body) throws Exception {
    return Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body);
  }

  private static void send(String sample, String id, String patient) throws Exception {
    assertEquals(202, post(Signed.event(sample, id, patient)).statusCode());
  }

  private static List<String> accepted(String patient) {
    List<String> out = new ArrayList<>();
    for (ReceivedMessage m : EhrSide.at(ehr, patient)) {
      if (m.answer() == Answer.AA) {
        out.add(m.messageType());
      }
    }
    return out;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    EhrSide.await(ehr, what, WAIT, condition);
  }

  private static byte[] object(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  @Test
  void aTwoMegabyteNoteGoesThroughTheClaimCheckAndReachesTheEhrAsMdmT02OnceAfterTheBooking() throws Exception {
    send("patient.registered.json", "evt-cc-1a", "pat-cc-1");
    send("appointment.booked.json", "evt-cc-1b", "pat-cc-1");
    String text = noteText(2_000_000);
    byte[] body = note("evt-cc-1c", "pat-cc-1", text);
    assertTrue(body.length > 2_000_000 && body.length > 262_144, "a 2 MB body, beyond any queue message");
    HttpResponse<String> answer = post(body);
    assertEquals(202, answer.statusCode(), answer.body());

    // the body is in S3 under the tenant's prefix, keyed by tenant and event id, byte for byte
    assertArrayEquals(body, object(ClaimChecks.key(ClaimChecks.INTAKE, "demo-clinic", "evt-cc-1c", ".json")));

    await("A04, S12 and the long T02 accepted", () -> accepted("pat-cc-1").size() >= 3);
    Thread.sleep(2_000); // anything doubled would have arrived by now
    assertEquals(List.of("ADT^A04", "SIU^S12", "MDM^T02"),
        EhrSide.at(ehr, "pat-cc-1").stream().map(ReceivedMessage::messageType).toList(), "in order, each once");
    assertEquals(List.of("ADT^A04", "SIU^S12", "MDM^T02"), accepted("pat-cc-1"));

    ReceivedMessage mdm = EhrSide.at(ehr, "pat-cc-1").get(2);
    String controlId = ControlIds.of("demo-clinic", "evt-cc-1c", "MDM^T02");
    assertEquals(controlId, mdm.controlId());
    String[] paragraphs = text.split("\n");
    Terser t = new Terser(Hl7Context.outboundParser().parse(mdm.text()));
    assertEquals("note-4001", t.get("/TXA-12-1"));
    assertEquals(paragraphs[0], t.get("/OBSERVATION(0)/OBX-5"));
    assertEquals(paragraphs[paragraphs.length - 1], t.get("/OBSERVATION(" + (paragraphs.length - 1) + ")/OBX-5"),
        "every paragraph arrived, the last one too");
    assertTrue(mdm.text().length() > 2_000_000, "the whole MDM went over MLLP");
    // the MDM travelled the to-EHR queue as a claim check: its object is what the EHR received
    byte[] stored = object(ClaimChecks.key(ClaimChecks.TO_EHR, "demo-clinic", controlId, ".hl7"));
    assertEquals(mdm.text().replace("\r\n", "\r"), new String(stored, StandardCharsets.UTF_8).replace("\r\n", "\r"));
  }

  @Test
  void aNoteWhoseMdmExceedsTheEhrProfilesMaximumGoesToTheIntakeDeadLetterQueueWithTheReasonAndTheRestGoesOn()
      throws Exception {
    send("patient.registered.json", "evt-cc-2a", "pat-cc-2");
    byte[] body = note("evt-cc-2b", "pat-cc-2", noteText(4_400_000)); // under the 5 MiB intake limit, MDM over 4 MiB
    assertEquals(202, post(body).statusCode());
    send("visit.charges_posted.json", "evt-cc-2c", "pat-cc-2");

    await("the A04 and the charges after the refused note", () -> accepted("pat-cc-2").equals(List.of("ADT^A04", "DFT^P03")));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (EhrSide.depth(stack, "IntakeDeadLetterQueue") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Message dead = stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl("IntakeDeadLetterQueue"))
        .messageAttributeNames("All").visibilityTimeout(0)).messages().get(0);
    assertEquals("evt-cc-2b", dead.messageAttributes().get("eventId").stringValue());
    String reason = dead.messageAttributes().get("reason").stringValue();
    assertTrue(reason.contains("MDM^T02 is ") && reason.contains("over the EHR profile's maximum message size of 4194304 bytes"),
        reason);
    // the DLQ holds the claim check, not the 4 MB body: a redrive (after a profile change) redeems it again
    ClaimCheck check = ClaimCheck.in(dead.body()).orElseThrow();
    assertEquals(body.length, check.size());
    assertTrue(EhrSide.at(ehr, "pat-cc-2").stream().noneMatch(m -> m.messageType().startsWith("MDM")));
  }

  @Test
  void aNackedClaimCheckedNoteGoesToTheDeadLetterQueueAndARedriveDeliversItOnce() throws Exception {
    String controlId = ControlIds.of("demo-clinic", "evt-cc-3b", "MDM^T02");
    ehr.addRule(SimRule.answer(Answer.AE).forControlId(controlId).times(2).errorCode("207")); // first send + 1 retry
    send("patient.registered.json", "evt-cc-3a", "pat-cc-3");
    assertEquals(202, post(note("evt-cc-3b", "pat-cc-3", noteText(600_000))).statusCode());

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (EhrSide.depth(stack, "ToEhrDeadLetterQueue") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Message dead = stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl("ToEhrDeadLetterQueue"))
        .messageAttributeNames("All").visibilityTimeout(0)).messages().get(0);
    assertEquals("AE", dead.messageAttributes().get("ackCode").stringValue());
    assertEquals(controlId, dead.messageAttributes().get("controlId").stringValue());
    assertTrue(ClaimCheck.in(dead.body()).isPresent(), "the DLQ keeps the claim check, not the MDM");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Cli.run(new String[] {"redrive", "ToEhrDeadLetterQueue", "--endpoint", stack.sqsEndpoint().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
    await("the redriven note accepted", () -> EhrSide.at(ehr, "pat-cc-3").stream()
        .anyMatch(m -> m.controlId().equals(controlId) && m.answer() == Answer.AA));
    Thread.sleep(2_000);
    assertEquals(1, EhrSide.at(ehr, "pat-cc-3").stream()
        .filter(m -> m.controlId().equals(controlId) && m.answer() == Answer.AA).count(), "delivered once");
    assertEquals(0, EhrSide.depth(stack, "ToEhrDeadLetterQueue"));
  }

  @Test
  void aBodyAboveTheNoteLimitIsRefusedWith413NamingTheLimitAndNothingIsStored() throws Exception {
    byte[] body = note("evt-cc-4a", "pat-cc-4", noteText(5_300_000));
    HttpResponse<String> answer = post(body);
    assertEquals(413, answer.statusCode());
    assertTrue(answer.body().contains("the limit is 5242880 for visit.note_signed and 245760 for every other type"),
        answer.body());
    assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket).prefix("intake/demo-clinic/"
        + io.telebridge.core.model.TenantKeys.sha256("demo-clinic", "evt-cc-4a"))).keyCount());
  }
}
