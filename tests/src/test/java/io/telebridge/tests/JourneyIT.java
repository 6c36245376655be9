package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.telebridge.aws.DynamoDbJournal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.local.Cli;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.ReviewClient;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14 §1-3 on the local stack (real HTTP, ElasticMQ, moto, MLLP over TCP, the EHR simulator):
 * every stage journals its step, the ops API and {@code ./tb trace} answer "where is this booking?",
 * a NACKed message shows its NACK and the DLQ, {@code ./tb replay} re-sends one SIU to the EHR with an
 * audit record, and one tenant's caller never sees another tenant's journey.
 */
class JourneyIT {

  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String DEMO = TenantIsolationIT.DEMO;
  private static final String NORTH = TenantIsolationIT.NORTH;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static LocalStack stack;
  private static EhrSimulator ehr;
  private static ReviewClient ops;

  @BeforeAll
  static void start() throws IOException {
    LocalStackOptions options = LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .runBridge(true)
        .bridgeEnvironment("MAX_NACK_RETRIES", "1")
        .bridgeEnvironment("NACK_RETRY_DELAY_SECONDS", "1");
    options.parameter("Tenants", "{\"" + DEMO + "\": {\"ehrFacilities\": [\"MAIN_CLINIC\", \"MAIN_LAB\"]}, \"" + NORTH
        + "\": {\"ehrProfile\": \"" + TenantIsolationIT.northProfile() + "\", \"ehrFacilities\": [\"NORTH_HOSP\"]}}");
    options.secretValue("WebhookSecretArn", TenantIsolationIT.webhookSecrets(options.devSigningSecret()));
    stack = LocalStack.start(options); // the local developer is mapped to demo-clinic only (ReviewCallerTenants)
    ehr = stack.ehrSimulator();
    var local = LocalStack.localCredentials();
    ops = new ReviewClient(stack.apiBaseUrl(), AwsCredentialsIdentity.create(local.accessKey(), local.secretKey()),
        "us-east-1");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static void post(byte[] body, String secret) throws Exception {
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), secret, body).statusCode());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return ops.send("GET", path, null);
  }

  /** The trace, once it satisfies {@code done} (the stages after the webhook run asynchronously). */
  private static JsonNode traceWhen(String id, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/v1/traces/" + id);
      if (r.statusCode() == 200) {
        last = JSON.readTree(r.body());
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(250);
    }
    fail("the trace of " + id + " never got there; last: " + last);
    return null;
  }

  private static List<String> steps(JsonNode trace, String stage) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : trace.path("steps")) {
      if (s.path("stage").asString().equals(stage)) {
        out.add(s.path("subject").asString() + " " + s.path("outcome").asString());
      }
    }
    return out;
  }

  private static long count(JsonNode trace, String stage, String outcome) {
    return steps(trace, stage).stream().filter(s -> s.endsWith(" " + outcome)).count();
  }

  private static List<ReceivedMessage> at(String patient) {
    return EhrSide.at(ehr, patient);
  }

  @Test
  void aBookingsTraceShowsEveryStageFromTheWebhookToTheEhrsAaAndNothingWaits() throws Exception {
    post(Signed.event("appointment.booked.json", "evt-jr-1", "pat-jr-1"), stack.devSigningSecret());
    EhrSide.await(ehr, "ADT^A04 and SIU^S12 at the EHR", WAIT, () -> at("pat-jr-1").size() >= 2);

    JsonNode t = traceWhen("evt-jr-1", x -> count(x, "mllp-sender", "AA") == 2);

    assertEquals(List.of("event:evt-jr-1 accepted"), steps(t, "intake"));
    assertEquals(List.of("event:evt-jr-1 translated"), steps(t, "to-ehr-translator"));
    List<String> sent = at("pat-jr-1").stream().map(m -> "hl7:" + m.controlId() + " AA").toList();
    assertEquals(sent.stream().sorted().toList(), steps(t, "mllp-sender").stream().sorted().toList(),
        "each MSH-10 the EHR got, with its ACK code");
    assertEquals(0, t.path("waiting").size(), "nothing waits: " + t.path("waiting"));
    assertEquals(DEMO, t.path("tenant").asString());

    // the same journey from the other ids an operator may hold
    String siu = at("pat-jr-1").get(1).controlId();
    for (String id : List.of(siu, "pat-jr-1")) {
      JsonNode other = traceWhen(id, x -> count(x, "mllp-sender", "AA") == 2);
      assertEquals(1, count(other, "intake", "accepted"), id);
    }
    JsonNode byAppointment = traceWhen("apt-3001", x -> true);
    assertTrue(steps(byAppointment, "to-ehr-translator").contains("event:evt-jr-1 translated"));

    // ./tb trace prints the same
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Cli.run(new String[] {"trace", "evt-jr-1", "--url", stack.apiBaseUrl().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, printed);
    assertTrue(printed.contains("mllp-sender") && printed.contains("now: nothing waits"), printed);
  }

  @Test
  void aNackedMessageShowsTheNackItsRetryAndTheDeadLetterQueueWhereItWaitsNow() throws Exception {
    ehr.addRule(SimRule.answer(Answer.AE).forPatient("pat-jr-2").times(2).errorCode("207"));
    post(Signed.event("appointment.booked.json", "evt-jr-2", "pat-jr-2"), stack.devSigningSecret());

    JsonNode t = traceWhen("evt-jr-2", x -> x.path("waiting").toString().contains("dlq:to-ehr"));

    assertEquals(2, count(t, "mllp-sender", "AE"), "the first send and its one resend: " + steps(t, "mllp-sender"));
    JsonNode dead = null;
    for (JsonNode s : t.path("steps")) {
      if ("dlq:to-ehr".equals(s.path("waitsAt").asString(""))) {
        dead = s;
      }
    }
    assertTrue(dead != null, t.toString());
    assertEquals("207", dead.path("errorCode").asString());
    assertEquals("nack-retries-exhausted", dead.path("errorClass").asString());
    boolean retried = false;
    for (JsonNode s : t.path("steps")) {
      retried |= s.path("waitsAt").asString("").startsWith("retry-at:");
    }
    assertTrue(retried, "the NACK before the last waited for its resend at a time: " + t);
    String where = t.path("waiting").get(0).path("where").asString();
    assertEquals("dlq:to-ehr", where);
  }

  @Test
  void aReplayOfOneAckedSiuReachesTheEhrOnceMoreAndIsAuditedWithTheCaller() throws Exception {
    post(Signed.event("appointment.booked.json", "evt-jr-3", "pat-jr-3"), stack.devSigningSecret());
    EhrSide.await(ehr, "the booking at the EHR", WAIT, () -> at("pat-jr-3").size() >= 2);
    ReceivedMessage siu = at("pat-jr-3").get(1);
    assertEquals("SIU^S12", siu.messageType());
    traceWhen(siu.controlId(), x -> count(x, "mllp-sender", "AA") == 2);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Cli.run(new String[] {"replay", siu.controlId(), "--url", stack.apiBaseUrl().toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));

    EhrSide.await(ehr, "the replayed SIU at the EHR", WAIT, () -> at("pat-jr-3").size() >= 3);
    Thread.sleep(2_000);
    List<ReceivedMessage> got = at("pat-jr-3");
    assertEquals(List.of("ADT^A04", "SIU^S12", "SIU^S12"), got.stream().map(ReceivedMessage::messageType).toList(),
        "the SIU once more, the ADT not");
    assertEquals(siu.controlId(), got.get(2).controlId(), "the same MSH-10 (the EHR deduplicates on it)");
    assertEquals(siu.text(), got.get(2).text(), "the same message");

    JsonNode t = traceWhen(siu.controlId(), x -> count(x, "mllp-sender", "AA") == 3);
    JsonNode audit = null;
    for (JsonNode s : t.path("steps")) {
      if (s.path("stage").asString().equals("replay")) {
        audit = s;
      }
    }
    assertTrue(audit != null, t.toString());
    assertEquals(LocalStack.LOCAL_USER_ARN, audit.path("by").asString());
    assertEquals("hl7:" + siu.controlId(), audit.path("subject").asString());
  }

  @Test
  void aCallerOfOneTenantCannotSeeAnotherTenantsTraceEvenForTheSameEventId() throws Exception {
    post(Signed.event("appointment.booked.json", "evt-jr-4", "pat-jr-4d"), stack.devSigningSecret());
    post(TenantIsolationIT.event("appointment.booked.json", NORTH, "evt-jr-4", "pat-jr-4n", "pat-jr-4n"),
        TenantIsolationIT.NORTH_SECRET);
    EhrSide.await(ehr, "both tenants' bookings at the EHR", WAIT,
        () -> at("pat-jr-4d").size() >= 2 && at("pat-jr-4n").size() >= 2);

    // both were journaled, each under its own tenant
    DynamoDbJournal journal = new DynamoDbJournal(stack.adapterDynamoDb(), stack.tableName("JournalTable"),
        Duration.ofDays(30));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (journal.entries(NORTH, JournalEntry.EVENT + "evt-jr-4").size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertTrue(journal.entries(NORTH, JournalEntry.EVENT + "evt-jr-4").stream().allMatch(e -> e.tenant().equals(NORTH)));
    assertFalse(journal.subjectsOfPatient(NORTH, "pat-jr-4n").isEmpty(), "north-clinic's patient is journaled");
    assertTrue(journal.subjectsOfPatient(DEMO, "pat-jr-4n").isEmpty(), "under north-clinic only");

    // the demo-clinic caller sees demo-clinic's journey only
    JsonNode t = traceWhen("evt-jr-4", x -> count(x, "mllp-sender", "AA") == 2);
    assertEquals(DEMO, t.path("tenant").asString());
    List<String> controlIds = at("pat-jr-4d").stream().map(m -> "hl7:" + m.controlId()).toList();
    for (JsonNode s : t.path("steps")) {
      String subject = s.path("subject").asString();
      assertTrue(subject.equals("event:evt-jr-4") || controlIds.contains(subject), "only demo-clinic's: " + subject);
    }
    assertFalse(t.toString().contains("pat-jr-4n"));
    assertEquals(404, get("/v1/traces/pat-jr-4n").statusCode(), "north-clinic's patient is not found");
    HttpResponse<String> asked = get("/v1/traces/evt-jr-4?tenant=" + NORTH);
    assertEquals(403, asked.statusCode());
    assertEquals("application/problem+json", asked.headers().firstValue("Content-Type").orElse(""));
    assertEquals(403, ops.send("POST", "/v1/replays", "{\"id\":\"evt-jr-4\",\"tenant\":\"" + NORTH + "\"}")
        .statusCode(), "nor replay it");
  }
}
