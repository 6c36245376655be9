package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.platform.PlatformSimulator.Delivery;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two tenants on one local stack, end to end over real HTTP, SQS (ElasticMQ), DynamoDB (moto) and
 * MLLP: each has its own webhook secret, its own EHR profile (its own PID-3 assigning authority for
 * the platform id) and its own EHR connection (sending facility). They use the same platform patient
 * id, the same MRN value and even the same event id, and still never see each other's data.
 */
class TenantIsolationIT {

  static final String DEMO = "demo-clinic";
  static final String NORTH = "north-clinic";
  static final String NORTH_SECRET = "north-clinic-webhook-secret-2026";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static LocalStack stack;
  private static LogCapture logs;

  /** A second EHR profile: the sample one with its own platform authority (NORTHPLAT) and facility. */
  static Path northProfile() throws IOException {
    String generic = Files.readString(Signed.REPO.resolve(
        "shared/hl7v2/src/main/resources/ehr-profiles/generic-epic-like.yaml"));
    String north = generic.replace("id: generic-epic-like", "id: north-epic-like")
        .replace("platform: {namespaceId: TELEHEALTH, typeCode: PI}", "platform: {namespaceId: NORTHPLAT, typeCode: PI}")
        .replace("receivingFacility: {namespaceId: MAIN_CLINIC}", "receivingFacility: {namespaceId: NORTH_HOSP}");
    assertTrue(north.contains("NORTHPLAT") && north.contains("NORTH_HOSP"), "the sample profile changed shape");
    Path file = Files.createTempDirectory("tb-tenants").resolve("north-epic-like.yaml");
    Files.writeString(file, north);
    return file;
  }

  /** The webhook secret of both tenants: demo-clinic signs with the development secret. */
  static String webhookSecrets(String devSecret) {
    return "{\"tenants\":{\"" + DEMO + "\":{\"current\":\"" + devSecret + "\"},\"" + NORTH + "\":{\"current\":\""
        + NORTH_SECRET + "\",\"previous\":\"north-clinic-webhook-secret-2025\"}}}";
  }

  @BeforeAll
  static void start() throws IOException {
    for (String mrn : List.of("MRN-ISO-1", "MRN-ISO-2")) {
      PhiScan.record("mrn", mrn);
    }
    PhiScan.record("name", "Vandermeer");
    PhiScan.record("name", "Ottilie");
    PhiScan.record("birth date", "1962-03-14");
    PhiScan.record("birth date", "19620314");
    logs = new LogCapture();
    LocalStackOptions options = LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runBridge(true);
    options.parameter("Tenants", "{\"" + DEMO + "\": {\"ehrFacilities\": [\"MAIN_CLINIC\", \"MAIN_LAB\"]}, \"" + NORTH
        + "\": {\"ehrProfile\": \"" + northProfile() + "\", \"ehrFacilities\": [\"NORTH_HOSP\"]}}");
    options.secretValue("WebhookSecretArn", webhookSecrets(options.devSigningSecret()));
    stack = LocalStack.start(options);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    logs.close();
  }

  /** A sample event of {@code tenant}, its id, patient id and person replaced. */
  static byte[] event(String sample, String tenant, String id, String patientId, String person) throws IOException {
    String body = new String(Signed.event(sample, id, patientId, person), StandardCharsets.UTF_8);
    return body.replace("\"tenant\": \"" + DEMO + "\"", "\"tenant\": \"" + tenant + "\"").getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<ReceivedMessage> awaitEhr(String type, String pid3, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (ReceivedMessage m : stack.ehrSimulator().received()) {
        if (m.messageType().startsWith(type) && m.text().contains(pid3)) {
          return Optional.of(m);
        }
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  /** Every event the platform received for this control id (after waiting {@code within} for {@code expected}). */
  private static List<JsonNode> platformEvents(String controlId, int expected, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<JsonNode> found = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      found.clear();
      for (Delivery d : stack.platformSimulator().received()) {
        JsonNode e = JSON.readTree(d.bodyText());
        if (d.accepted() && controlId.equals(e.get("source").get("controlId").asString())) {
          found.add(e);
        }
      }
      if (found.size() >= expected) {
        Thread.sleep(1000); // anything more would arrive now
        break;
      }
      Thread.sleep(200);
    }
    List<JsonNode> out = new ArrayList<>();
    for (Delivery d : stack.platformSimulator().received()) {
      JsonNode e = JSON.readTree(d.bodyText());
      if (d.accepted() && controlId.equals(e.get("source").get("controlId").asString())) {
        out.add(e);
      }
    }
    return out;
  }

  private static String mllp(String hl7) throws IOException {
    try (MllpTestClient ehr = MllpTestClient.connect(stack.mllpListenerPort())) {
      return ehr.exchange(hl7);
    }
  }

  private static String a31(String facility, String controlId, String pid3) {
    return "MSH|^~\\&|EPIC|" + facility + "|TELEBRIDGE|TELEHEALTH|20251121100000-0500||ADT^A31^ADT_A05|" + controlId
        + "|P|2.5.1\rEVN|A31|20251121100000-0500\rPID|1||" + pid3 + "||Vandermeer^Ottilie||19620314|F\rPV1|1|N\r";
  }

  private static String oru(String facility, String controlId, String mrn) {
    return "MSH|^~\\&|EPIC_LAB|" + facility + "|TELEBRIDGE|TELEHEALTH|20251120143000-0500||ORU^R01^ORU_R01|" + controlId
        + "|P|2.5.1\rPID|1||" + mrn + "^^^EPI^MR||Vandermeer^Ottilie||19620314|F\r"
        + "OBR|1|ORD-" + controlId + "^TELEHEALTH|F-" + controlId + "^EPIC_LAB|2345-7^Glucose^LN|||20251120080000-0500"
        + "|||||||||||||||20251120142500-0500|||F\r"
        + "OBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F\r";
  }

  @Test
  void twoTenantsWithTheSamePlatformPatientIdTheSameMrnAndTheSameEventIdStayApartEndToEnd() throws Exception {
    // the same event id and platform patient id from both tenants, each signed with its own secret
    byte[] demo = event("patient.registered.json", DEMO, "evt-iso-register", "pat-iso-1", "isolation person hortensia");
    byte[] north = event("patient.registered.json", NORTH, "evt-iso-register", "pat-iso-1", "isolation person ignatius");
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), demo).statusCode());
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), NORTH_SECRET, north).statusCode());

    // each reaches the EHR, PID-3 carrying the platform id under its tenant's own assigning authority
    assertTrue(awaitEhr("ADT^A04", "pat-iso-1^^^TELEHEALTH^PI", Duration.ofSeconds(30)).isPresent(),
        "demo-clinic's registration reached the EHR under TELEHEALTH");
    assertTrue(awaitEhr("ADT^A04", "pat-iso-1^^^NORTHPLAT^PI", Duration.ofSeconds(30)).isPresent(),
        "north-clinic's registration (same event id, within five minutes) reached the EHR under NORTHPLAT");

    // each tenant's EHR links the same MRN value to its echo of pat-iso-1
    assertTrue(mllp(a31("MAIN_CLINIC", "ISO-A31-D", "MRN-ISO-1^^^EPI^MR~pat-iso-1^^^TELEHEALTH^PI")).contains("|AA|"));
    assertTrue(mllp(a31("NORTH_HOSP", "ISO-A31-N", "MRN-ISO-1^^^EPI^MR~pat-iso-1^^^NORTHPLAT^PI")).contains("|AA|"));
    List<JsonNode> demoUpdated = platformEvents("ISO-A31-D", 1, Duration.ofSeconds(30));
    List<JsonNode> northUpdated = platformEvents("ISO-A31-N", 1, Duration.ofSeconds(30));
    assertEquals(1, demoUpdated.size(), "one ehr.patient.updated for demo-clinic's echo");
    assertEquals(DEMO, demoUpdated.get(0).get("tenant").asString());
    assertEquals(1, northUpdated.size(), "one ehr.patient.updated for north-clinic's echo");
    assertEquals(NORTH, northUpdated.get(0).get("tenant").asString());

    // a result for the MRN from each EHR goes to its own tenant's patient only
    assertTrue(mllp(oru("NORTH_HOSP", "ISO-ORU-N", "MRN-ISO-1")).contains("|AA|"));
    assertTrue(mllp(oru("MAIN_LAB", "ISO-ORU-D", "MRN-ISO-1")).contains("|AA|"));
    List<JsonNode> northResult = platformEvents("ISO-ORU-N", 1, Duration.ofSeconds(30));
    List<JsonNode> demoResult = platformEvents("ISO-ORU-D", 1, Duration.ofSeconds(30));
    assertEquals(1, northResult.size(), "north-clinic's result is delivered once, to north-clinic only");
    assertEquals(NORTH, northResult.get(0).get("tenant").asString());
    assertEquals("pat-iso-1", northResult.get(0).get("patient").get("platformPatientId").asString());
    assertEquals(1, demoResult.size(), "demo-clinic's result is delivered once, to demo-clinic only");
    assertEquals(DEMO, demoResult.get(0).get("tenant").asString());
  }

  @Test
  void anEchoUnderAnotherTenantsAuthorityOrFromAConnectionNoTenantOwnsIsNeverResolvedAcrossTenants() throws Exception {
    byte[] demo = event("patient.registered.json", DEMO, "evt-iso-register-2", "pat-iso-2", "isolation person jessamine");
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), demo).statusCode());
    assertTrue(awaitEhr("ADT^A04", "pat-iso-2^^^TELEHEALTH^PI", Duration.ofSeconds(30)).isPresent());

    // north-clinic's EHR echoes demo-clinic's platform id under demo-clinic's authority: not north's patient
    assertTrue(mllp(a31("NORTH_HOSP", "ISO-A31-X", "MRN-ISO-2^^^EPI^MR~pat-iso-2^^^TELEHEALTH^PI")).contains("|AA|"));
    // an EHR connection no tenant owns: stored (AA), then dead-lettered with the reason, never guessed
    assertTrue(mllp(a31("ROGUE_HOSP", "ISO-A31-R", "MRN-ISO-2^^^EPI^MR~pat-iso-2^^^TELEHEALTH^PI")).contains("|AA|"));
    assertTrue(platformEvents("ISO-A31-X", 1, Duration.ofSeconds(8)).isEmpty(),
        "nothing reaches demo-clinic's patient from north-clinic's EHR");
    assertTrue(platformEvents("ISO-A31-R", 1, Duration.ofSeconds(2)).isEmpty());
    String dlq = stack.queueUrl("FromEhrDeadLetterQueue");
    boolean deadLettered = false;
    for (int i = 0; i < 10 && !deadLettered; i++) {
      for (Message m : stack.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(dlq).maxNumberOfMessages(10)
          .waitTimeSeconds(1).messageAttributeNames("All").build()).messages()) {
        if (m.body().contains("ISO-A31-R")) {
          deadLettered = m.messageAttributes().get("reason").stringValue().contains("ROGUE_HOSP");
        }
      }
    }
    assertTrue(deadLettered, "the unowned connection's message is in the from-EHR DLQ with its reason");
    for (String phi : List.of("MRN-ISO-1", "MRN-ISO-2")) {
      assertFalse(logs.text().contains(phi), "an MRN appears in a log line");
    }
  }
}
