package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Sex;
import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.platform.PlatformSimulator;
import io.telebridge.local.platform.PlatformSimulator.Delivery;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole return path on the local stack, over real TCP and HTTP: the EHR sends fixtures over MLLP
 * to the listener (AA once stored) → from-EHR FIFO → FromEhrTranslatorFunction (its SQS trigger, as
 * Lambda) → to-platform FIFO → PlatformDeliveryFunction → the platform simulator receives the JSON.
 */
class ReturnPathIT {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static LocalStack stack;
  private static PlatformSimulator platform;
  private static String tenant;

  @BeforeAll
  static void start() throws IOException {
    // the merge test's inline HL7 patient, for the PHI scan after the suite
    for (String[] t : new String[][] {{"name", "Mergetest"}, {"birth date", "1977-02-03"}, {"birth date", "19770203"},
        {"mrn", "700877"}, {"mrn", "700234"}}) {
      PhiScan.record(t[0], t[1]);
    }
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runBridge(true));
    platform = stack.platformSimulator();
    tenant = io.telebridge.local.Cli.DEFAULT_TENANT; // TENANTS: {"demo-clinic": {}} on the local stack
    // pat-1001 registered as the to-EHR path does; the EHR then echoes it in PID-3 (A31 below)
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), stack.tableName("IdentityTable"));
    var resolution = new MatchingPatientResolver(store, store.candidateIndex(), "TELEHEALTH", Clock.systemUTC())
        .resolve(new ResolveRequest(tenant, new PatientDemographics("pat-1001",
            new PersonName(List.of("Avery"), "Testpatient", null, null), LocalDate.parse("1984-07-19"), Sex.FEMALE,
            List.of(), null, null, null), "evt-return-path-register", "{}", null));
    assertTrue(resolution.newPatient());
    // pat-1055, registered under another name than the chart's: the EHR's Latin-1 A31 below links MRN 100555 to it
    assertTrue(new MatchingPatientResolver(store, store.candidateIndex(), "TELEHEALTH", Clock.systemUTC())
        .resolve(new ResolveRequest(tenant, new PatientDemographics("pat-1055",
            new PersonName(List.of("Registered"), "Platformname", null, null), LocalDate.parse("1971-03-05"), Sex.MALE,
            List.of(), null, null, null), "evt-return-path-register-1055", "{}", null)).newPatient());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static String send(String fixture) throws IOException {
    String text = Hl7Text.normalize(Hl7Text.decode(
        Files.readAllBytes(Signed.REPO.resolve("tests/fixtures/hl7v2/inbound").resolve(fixture)), StandardCharsets.UTF_8));
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      return ehr.exchange(text);
    }
  }

  /** The fixture's bytes as they are in the file (its charset, its line ends), in one MLLP frame. */
  private static String sendBytes(String fixture) throws IOException {
    byte[] raw = Files.readAllBytes(Signed.REPO.resolve("tests/fixtures/hl7v2/inbound").resolve(fixture));
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      return ehr.exchange(raw);
    }
  }

  private static List<Message> drain(String queueUrl, Duration within, java.util.function.Predicate<Message> until)
      throws InterruptedException {
    List<Message> out = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    do {
      List<Message> batch = stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageAttributeNames("All")).messages();
      for (Message m : batch) {
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
      out.addAll(batch);
      if (out.stream().anyMatch(until)) {
        return out;
      }
    } while (System.nanoTime() < deadline);
    return out;
  }

  private static boolean hasControlId(Message m, String controlId) {
    var a = m.messageAttributes().get("controlId");
    return a != null && controlId.equals(a.stringValue());
  }

  /** Every string held anywhere in the identity table (attributes, nested maps and lists), lower case. */
  private static List<String> identityStrings() {
    List<String> out = new ArrayList<>();
    for (var item : stack.dynamoDb().scanPaginator(b -> b.tableName(stack.tableName("IdentityTable"))).items()) {
      item.values().forEach(v -> collect(v, out));
    }
    return out;
  }

  private static void collect(AttributeValue v, List<String> out) {
    if (v.s() != null) {
      out.add(v.s().toLowerCase(java.util.Locale.ROOT));
    }
    if (v.hasSs()) {
      v.ss().forEach(s -> out.add(s.toLowerCase(java.util.Locale.ROOT)));
    }
    if (v.hasL()) {
      v.l().forEach(x -> collect(x, out));
    }
    if (v.hasM()) {
      v.m().values().forEach(x -> collect(x, out));
    }
  }

  // ------------------------------------------------------------------ issue 9: HL7 reading and character sets

  @Test
  void realWorldOrusThatValidationRefusedGetAaOrCaAndReachThePlatformAsResults() throws Exception {
    // v2.5.1: SN >^500, a preliminary and a final OBR group, an NM "<0.010" below the detection limit, a Z segment
    String ack = sendBytes("oru-r01.v251.sn-prelim-final-z.hl7");
    assertTrue(accepted(ack, "LAB000777"), "CA (MSH-15 AL) for the SN / prelim + final ORU: " + ack);
    List<JsonNode> results = awaitEvents("ehr.result.available", "LAB000777", 2, Duration.ofSeconds(30));
    assertEquals(List.of("preliminary", "final"), results.stream()
        .map(e -> e.get("data").get("result").get("status").asString()).sorted(java.util.Comparator.reverseOrder()).toList());
    // v2.4: a 300-OBX panel (about 18 KB)
    ack = sendBytes("oru-r01.v24.panel-300.hl7");
    assertTrue(accepted(ack, "LAB000888"), "AA for the 300-OBX panel: " + ack);
    JsonNode panel = awaitEvent("ehr.result.available", "LAB000888", Duration.ofSeconds(30)).orElseThrow();
    assertEquals(300, panel.get("data").get("result").get("observations").size());
    assertEquals("pat-1001", panel.get("patient").get("platformPatientId").asString());
  }

  @Test
  void anOruWithoutObrGetsArWithErrAndAQuarantineCopyNeverAaThenTheFromEhrDlq() throws Exception {
    String ack = sendBytes("refused/oru-r01.v251.no-obr.hl7");
    assertTrue(ack != null && ack.contains("MSA|AR|LAB000779"), "AR: " + ack);
    assertTrue(ack.contains("\rERR|"), ack);
    List<Message> quarantined = drain(stack.queueUrl("QuarantineQueue"), Duration.ofSeconds(10),
        m -> hasControlId(m, "LAB000779"));
    Message q = quarantined.stream().filter(m -> hasControlId(m, "LAB000779")).findFirst().orElseThrow();
    assertEquals("untranslatable", q.messageAttributes().get("reason").stringValue());
    assertTrue(drain(stack.queueUrl("FromEhrDeadLetterQueue"), Duration.ofSeconds(5), m -> hasControlId(m, "LAB000779"))
        .stream().noneMatch(m -> hasControlId(m, "LAB000779")), "nothing reaches the from-EHR DLQ");
    assertFalse(awaitEvent("ehr.result.available", "LAB000779", Duration.ofSeconds(2)).isPresent());
  }

  @Test
  void aLatin1A31ForALinkedPatientReachesThePlatformAndTheIdentityIndexWithItsAccentsIntact() throws Exception {
    String ack = sendBytes("adt-a31.v24.latin1.hl7"); // ISO-8859-1 bytes, MSH-18 8859/1
    assertTrue(accepted(ack, "ADT000431"), "AA for the Latin-1 A31: " + ack);
    JsonNode updated = awaitEvent("ehr.patient.updated", "ADT000431", Duration.ofSeconds(30)).orElseThrow();
    assertEquals("pat-1055", updated.get("patient").get("platformPatientId").asString());
    String json = updated.toString();
    assertTrue(json.contains("\"Muñoz\""), json);
    assertTrue(json.contains("\"José\""), json);
    assertFalse(json.contains("\uFFFD") || json.contains("\\ufffd"), json);
    List<String> identity = identityStrings();
    assertTrue(identity.stream().anyMatch(s -> s.contains("munoz") || s.contains("muñoz")), "the chart's name is filed");
    assertTrue(identity.stream().anyMatch(s -> s.contains("jose") || s.contains("josé")), "the chart's given name is filed");
    assertTrue(identity.stream().noneMatch(s -> s.contains("muoz") || s.contains("\ufffd")),
        "never the corrupted name: " + identity.stream().filter(s -> s.contains("mu")).toList());
  }

  /** AA, or CA for a message asking for enhanced-mode acknowledgement (MSH-15 AL, as the epic-like ORU does). */
  private static boolean accepted(String ack, String controlId) {
    return ack != null && (ack.contains("MSA|AA|" + controlId) || ack.contains("MSA|CA|" + controlId));
  }

  private static List<JsonNode> awaitEvents(String type, String controlId, int count, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<JsonNode> found = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      found.clear();
      for (Delivery d : platform.received()) {
        JsonNode event = JSON.readTree(d.bodyText());
        if (d.accepted() && type.equals(event.get("type").asString())
            && controlId.equals(event.get("source").get("controlId").asString())) {
          found.add(event);
        }
      }
      if (found.size() >= count) {
        return List.copyOf(found);
      }
      Thread.sleep(200);
    }
    throw new AssertionError(found.size() + " of " + count + " " + type + " events for " + controlId);
  }

  private static Optional<JsonNode> awaitEvent(String type, String controlId, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (Delivery d : platform.received()) {
        JsonNode event = JSON.readTree(d.bodyText());
        if (d.accepted() && type.equals(event.get("type").asString())
            && controlId.equals(event.get("source").get("controlId").asString())) {
          assertEquals(event.get("eventId").asString(), d.idempotencyKey());
          return Optional.of(event);
        }
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  @Test
  void theEhrsMessagesReachThePlatformAsEvents() throws IOException, InterruptedException {
    String ack = send("adt-a31.v251.hl7");
    assertTrue(accepted(ack, "ADT000204"), "AA for the A31: " + ack);
    JsonNode updated = awaitEvent("ehr.patient.updated", "ADT000204", Duration.ofSeconds(30)).orElseThrow();
    assertEquals("pat-1001", updated.get("patient").get("platformPatientId").asString());

    ack = send("oru-r01.v251.epic-like.hl7");
    assertTrue(accepted(ack, "LAB000101"), "AA for the ORU: " + ack);
    JsonNode result = awaitEvent("ehr.result.available", "LAB000101", Duration.ofSeconds(30)).orElseThrow();
    assertEquals("pat-1001", result.get("patient").get("platformPatientId").asString());
    assertEquals("EPIC_LAB:F-778812", result.get("data").get("result").get("id").asString());
    assertEquals(6, result.get("data").get("result").get("observations").size());

    ack = send("siu-s15.v251.cr.hl7");
    assertTrue(accepted(ack, "SIU000304"), "AA for the S15: " + ack);
    JsonNode cancelled = awaitEvent("ehr.appointment.changed", "SIU000304", Duration.ofSeconds(30)).orElseThrow();
    assertEquals("cancelled", cancelled.get("data").get("change").asString());
    assertEquals("apt-3001", cancelled.get("data").get("appointment").get("id").asString());

    // an unlinked MRN: AA (stored), then nothing for the platform
    ack = send("oru-r01.v251.latin1.hl7");
    assertTrue(accepted(ack, "CCL-0042"), "AA for the unlinked ORU: " + ack);
    assertFalse(awaitEvent("ehr.result.available", "CCL-0042", Duration.ofSeconds(5)).isPresent());
  }

  private static String exchange(String hl7) throws IOException {
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      return ehr.exchange(hl7);
    }
  }

  private static Optional<io.telebridge.mllp.sim.ReceivedMessage> awaitEhr(String type, String patientId, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (io.telebridge.mllp.sim.ReceivedMessage m : stack.ehrSimulator().received()) {
        if (m.messageType().startsWith(type) && m.text().contains(patientId + "^^^TELEHEALTH^PI")) {
          return Optional.of(m);
        }
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  /** The EHR merges the chart a platform patient was registered under: later bookings go to the survivor. */
  @Test
  void afterAnA40MergeTheNextChangeOfThatPatientGoesToTheSurvivingMrn() throws Exception {
    // the platform registers pat-m2 with a booking; the EHR gets ADT^A04 then SIU^S12
    byte[] booking = Signed.event("appointment.booked.json", "evt-merge-1", "pat-m2");
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), booking).statusCode());
    assertTrue(awaitEhr("SIU^S12", "pat-m2", Duration.ofSeconds(30)).isPresent(), "the booking reached the EHR");
    // the EHR's chart for it is 700877, echoed with the platform id (as its A31 feed does)
    String a31 = "MSH|^~\\&|EPIC|MAIN_CLINIC|TELEBRIDGE|TELEHEALTH|20261125120000||ADT^A31^ADT_A05|MRG-A31-1|P|2.5.1\r"
        + "EVN|A31|20261125120000\r"
        + "PID|1||700877^^^EPI^MR~pat-m2^^^TELEHEALTH^PI||Mergetest^Robin||19770203|F\r";
    assertTrue(accepted(exchange(a31), "MRG-A31-1"));
    // then merges 700877 into 700234
    String a40 = "MSH|^~\\&|EPIC|MAIN_CLINIC|TELEBRIDGE|TELEHEALTH|20261125120500||ADT^A40^ADT_A39|MRG-A40-1|P|2.5.1\r"
        + "EVN|A40|20261125120500\r"
        + "PID|1||700234^^^EPI^MR||Mergetest^Robin||19770203|F\r"
        + "MRG|700877^^^EPI^MR\r";
    assertTrue(accepted(exchange(a40), "MRG-A40-1"));
    JsonNode merged = awaitEvent("ehr.patients.merged", "MRG-A40-1", Duration.ofSeconds(30)).orElseThrow();
    assertEquals("pat-m2", merged.get("patient").get("platformPatientId").asString());

    // the platform reschedules: the SIU^S13 carries the surviving MRN, not the merged one
    byte[] reschedule = Signed.event("appointment.rescheduled.json", "evt-merge-2", "pat-m2");
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), reschedule).statusCode());
    io.telebridge.mllp.sim.ReceivedMessage s13 = awaitEhr("SIU^S13", "pat-m2", Duration.ofSeconds(30)).orElseThrow();
    String pid = java.util.Arrays.stream(s13.text().split("\r")).filter(l -> l.startsWith("PID|")).findFirst().orElseThrow();
    assertTrue(pid.contains("700234^^^EPI^MR"), "surviving MRN in PID-3: " + pid);
    assertFalse(pid.contains("700877"), "the merged MRN is gone: " + pid);
  }
}
