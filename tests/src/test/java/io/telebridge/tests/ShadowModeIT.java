package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.telebridge.local.Cli;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.ReviewClient;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14 §6 on the local stack (real HTTP, ElasticMQ, moto, MLLP over TCP, the EHR simulator): a
 * flow switched with {@code ./tb flows set} holds its messages back — in shadow kept and compared by
 * {@code ./tb shadow-report} with the SIU "staff" send over the listener, off journaled and
 * acknowledged — for its tenant only, while the other tenant's flow stays on.
 */
class ShadowModeIT {

  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String DEMO = TenantIsolationIT.DEMO;
  private static final String NORTH = TenantIsolationIT.NORTH;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static LocalStack stack;
  private static ReviewClient ops;

  @BeforeAll
  static void start() throws IOException {
    LocalStackOptions options = LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runBridge(true);
    options.parameter("Tenants", "{\"" + DEMO + "\": {\"ehrFacilities\": [\"MAIN_CLINIC\", \"MAIN_LAB\"]}, \"" + NORTH
        + "\": {\"ehrProfile\": \"" + TenantIsolationIT.northProfile() + "\", \"ehrFacilities\": [\"NORTH_HOSP\"]}}");
    options.parameter("FlowSwitchCacheSeconds", "0"); // every message reads its switch: no waiting for a cache here
    options.secretValue("WebhookSecretArn", TenantIsolationIT.webhookSecrets(options.devSigningSecret()));
    stack = LocalStack.start(options); // the local developer may act for demo-clinic only (ReviewCallerTenants)
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

  private static String cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!args[0].equals("mllp-send")) {
      all.add("--url");
      all.add(stack.apiBaseUrl().toString());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int rc = Cli.run(all.toArray(String[]::new), ps, ps);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, String.join(" ", args) + ": " + printed);
    return printed;
  }

  private static JsonNode getWhen(String path, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = ops.send("GET", path, null);
      if (r.statusCode() == 200) {
        last = JSON.readTree(r.body());
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(250);
    }
    fail(path + " never got there; last: " + last);
    return null;
  }

  private static List<String> outcomes(JsonNode trace, String stage) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : trace.path("steps")) {
      if (s.path("stage").asString().equals(stage)) {
        out.add(s.path("type").asString("") + " " + s.path("outcome").asString());
      }
    }
    return out;
  }

  private static JsonNode flow(JsonNode report, String tenant, String flow) {
    for (JsonNode r : report.path("reports")) {
      for (JsonNode f : r.path("flows")) {
        if (r.path("tenant").asString().equals(tenant) && f.path("flow").asString().equals(flow)) {
          return f;
        }
      }
    }
    return JSON.createObjectNode();
  }

  /** The EHR simulator's own record of what it received ({@code GET /messages}), as its HTTP API says. */
  private static String simulatorMessages() throws Exception {
    URI uri = stack.ehrSimulator().controlUrl().resolve("/messages");
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void schedulingInShadowSendsNothingToTheEhrAndTheReportComparesItWithTheSiuStaffSent(@TempDir Path tmp)
      throws Exception {
    cli("flows", "set", DEMO, "registration", "shadow");
    String set = cli("flows", "set", DEMO, "scheduling", "shadow");
    assertTrue(set.contains("scheduling -> shadow"), set);
    assertTrue(cli("flows").matches("(?s).*demo-clinic\\s+scheduling\\s+shadow.*"), "listed");

    // demo-clinic's booking (the sample's patient and appointment) in shadow; north-clinic's is on
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(),
        Signed.event("appointment.booked.json", "evt-sh-1", null)).statusCode());
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), TenantIsolationIT.NORTH_SECRET,
        TenantIsolationIT.event("appointment.booked.json", NORTH, "evt-sh-2", "pat-sh-n", "pat-sh-n")).statusCode());

    JsonNode trace = getWhen("/v1/traces/evt-sh-1",
        t -> outcomes(t, "to-ehr-translator").stream().filter(s -> s.endsWith(" shadowed")).count() == 2);
    assertEquals(0, trace.path("waiting").size(), "held back: nothing waits " + trace.path("waiting"));
    EhrSide.await(stack.ehrSimulator(), "north-clinic's booking at the EHR (its flows are on)", WAIT,
        () -> EhrSide.at(stack.ehrSimulator(), "pat-sh-n").size() >= 2);
    Thread.sleep(1_000);
    for (ReceivedMessage m : stack.ehrSimulator().received()) {
      assertFalse(m.patientIds().contains("pat-1001"), "demo-clinic's booking never reached the EHR: " + m);
    }
    assertFalse(simulatorMessages().contains("pat-1001"), "nor does the simulator's /messages list it");
    assertTrue(outcomes(trace, "mllp-sender").isEmpty(), "the sender never saw it");

    // "staff" key the same booking into the EHR, which sends its SIU over the listener
    Path staff = tmp.resolve("siu-s12.keyed-by-staff.hl7");
    Files.copy(Signed.REPO.resolve("tests/fixtures/hl7v2/inbound/shadow/siu-s12.keyed-by-staff.v251.hl7"), staff);
    String ack = cli("mllp-send", staff.toString(), "--port", Integer.toString(stack.mllpListenerPort()));
    assertTrue(ack.contains("MSA|AA"), ack);

    JsonNode report = getWhen("/v1/shadow-report?since=1h", r -> flow(r, DEMO, "scheduling").path("fromEhr").asInt() == 1);
    JsonNode scheduling = flow(report, DEMO, "scheduling");
    assertEquals(1, scheduling.path("shadowed").asInt());
    assertEquals(1, scheduling.path("matched").asInt(), scheduling.toString());
    assertEquals(0, scheduling.path("agreed").asInt());
    assertEquals("{\"visitType\":1}", scheduling.path("differingFields").toString(), "staff chose another visit type");
    JsonNode pair = scheduling.path("pairs").get(0);
    assertEquals("STAFF000301", pair.path("ehr").asString());
    assertEquals("patient+start", pair.path("matchedBy").asString());
    String siu = null;
    for (JsonNode s : trace.path("steps")) {
      if ("SIU^S12".equals(s.path("type").asString(""))) {
        siu = s.path("subject").asString().substring("hl7:".length());
      }
    }
    assertEquals(siu, pair.path("shadow").asString(), "paired with the SIU telebridge held back");
    JsonNode registration = flow(report, DEMO, "registration");
    assertEquals(1, registration.path("shadowed").asInt());
    assertEquals(1, registration.path("unmatchedShadow").asInt(), "the EHR sent no registration of its own");
    assertTrue(flow(report, NORTH, "scheduling").isEmpty(), "the demo-clinic caller gets demo-clinic's report only");

    String printed = cli("shadow-report", "--since", "1h");
    assertTrue(printed.contains("scheduling differs in: visitType 1"), printed);
    for (String phi : List.of("Connell", "19840719", "TELE_FU", "TELE_NEW", "1555014202")) {
      assertFalse(printed.contains(phi) || report.toString().contains(phi), "no value in the report: " + phi);
    }
    HttpResponse<String> other = ops.send("GET", "/v1/shadow-report?since=1h&tenant=" + NORTH, null);
    assertEquals(403, other.statusCode());
    assertEquals(403, ops.send("PUT", "/v1/flows/" + NORTH + "/scheduling", "{\"mode\":\"off\"}").statusCode(),
        "nor switch another tenant's flow");
  }

  @Test
  void aFlowSwitchedOffIsJournaledAndAcknowledgedAndNothingIsSent() throws Exception {
    cli("flows", "set", DEMO, "charges", "off");
    // a known patient first (registered, whether that flow is on or in shadow), then the visit's charge
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(),
        Signed.event("patient.registered.json", "evt-off-0", "pat-off-1")).statusCode());
    getWhen("/v1/traces/evt-off-0", t -> outcomes(t, "to-ehr-translator").contains("patient.registered translated"));
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(),
        Signed.event("visit.charges_posted.json", "evt-off-1", "pat-off-1")).statusCode());

    JsonNode trace = getWhen("/v1/traces/evt-off-1",
        t -> outcomes(t, "to-ehr-translator").contains("DFT^P03 switched-off"));
    assertTrue(outcomes(trace, "to-ehr-translator").contains("visit.charges_posted translated"), trace.toString());
    Thread.sleep(2_000);
    for (ReceivedMessage m : EhrSide.at(stack.ehrSimulator(), "pat-off-1")) {
      assertFalse(m.messageType().startsWith("DFT"), "the charge never reached the EHR: " + m);
    }
    assertEquals(0, EhrSide.depth(stack, "IntakeQueue"), "acknowledged: off the intake queue");
    assertEquals(0, EhrSide.depth(stack, "IntakeDeadLetterQueue"), "and not dead-lettered");
    assertTrue(getWhen("/v1/traces/evt-off-1", t -> true).path("waiting").toString().indexOf("dlq") < 0);
  }
}
