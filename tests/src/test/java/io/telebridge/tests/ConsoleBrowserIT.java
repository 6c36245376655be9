package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.Phone;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.ReviewClient;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.matching.mpi.MatcherWiring;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.mllp.sim.Answer;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.ReceivedMessage;
import io.telebridge.mllp.sim.SimRule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14 §8: the ops console in a real browser (Debian's headless Chromium over the DevTools protocol)
 * against the local stack (real HTTP, ElasticMQ, moto, the MLLP bridge and the EHR simulator over TCP): a
 * booking's trace shows every stage; a NACKed message waits in the to-EHR DLQ, redacted, and redriven from
 * the page reaches the EHR simulator; a review case is resolved from the page; the scheduling flow switched
 * to shadow from the Flows page holds a booking back (nothing at the EHR simulator), audited, and is switched
 * on again; the Metrics page counts from the journal; every POST needs the CSRF token. A screenshot per page
 * under tests/target/console-screenshots/.
 */
class ConsoleBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TENANT = "demo-clinic";
  private static final Path SHOTS = Signed.REPO.resolve("tests/target/console-screenshots");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static LocalStack stack;
  private static EhrSimulator ehr;
  private static HeadlessChromium browser;
  private static String console;
  private static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    Path chromium = HeadlessChromium.find();
    Assumptions.assumeTrue(chromium != null, "SKIPPED: no chromium on the PATH (Debian: apt-get install chromium;"
        + " .ci/run installs it) - the console's browser test did not run");
    logs = new LogCapture();
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .runBridge(true)
        .bridgeEnvironment("MAX_NACK_RETRIES", "1")
        .bridgeEnvironment("NACK_RETRY_DELAY_SECONDS", "1")
        .parameter("FlowSwitchCacheSeconds", "0")); // a switch set from the Flows page applies to the next message
    ehr = stack.ehrSimulator();
    console = stack.apiBaseUrl() + "/console";
    browser = HeadlessChromium.start(chromium);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (logs != null) {
      logs.close();
    }
  }

  private static void post(byte[] body) throws Exception {
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body).statusCode());
  }

  private static void shot(String name) throws IOException {
    browser.screenshot(SHOTS.resolve(name + ".png"));
  }

  private static List<ReceivedMessage> at(String patient) {
    return EhrSide.at(ehr, patient);
  }

  @Test
  void theTraceOfABookingShowsEveryStageFromTheWebhookToTheEhrsAa() throws Exception {
    post(Signed.event("appointment.booked.json", "evt-cs-1", "pat-cs-1"));
    EhrSide.await(ehr, "ADT^A04 and SIU^S12 at the EHR", WAIT, () -> at("pat-cs-1").size() >= 2);

    browser.open(console);
    assertTrue(browser.text("#tenants").contains(TENANT), browser.text("main"));
    shot("overview");
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode stages;
    do {
      browser.open(console);
      browser.eval("document.querySelector('#trace-form input[name=id]').value = 'evt-cs-1'");
      browser.clickAndWait("#trace-form button");
      stages = browser.eval("[...document.querySelectorAll('#trace tr.step')].map(r => r.querySelector('.stage').innerText"
          + " + ' ' + r.querySelector('.outcome').innerText)");
    } while (count(stages, "mllp-sender AA") < 2 && System.nanoTime() < deadline);
    shot("trace");

    assertTrue(browser.location().contains("/console/trace?id=evt-cs-1"), browser.location());
    assertEquals(1, count(stages, "intake accepted"), stages.toString());
    assertEquals(1, count(stages, "to-ehr-translator translated"), stages.toString());
    assertEquals(2, count(stages, "mllp-sender AA"), "the ADT^A04 and the SIU^S12, each AA: " + stages);
    assertTrue(browser.text("#waiting").contains("nowhere"), browser.text("#waiting"));
    for (ReceivedMessage m : at("pat-cs-1")) {
      assertTrue(browser.text("#trace").contains("hl7:" + m.controlId()), "the MSH-10 " + m.controlId());
    }
  }

  @Test
  void aNackedMessageIsRedactedInTheDeadLetterQueueAndRedrivenFromThePageReachesTheEhr() throws Exception {
    // the patient's first message (ADT^A04) is refused twice (its send and its one resend): to the DLQ
    ehr.addRule(SimRule.answer(Answer.AR).forPatient("pat-cs-2").times(2).errorCode("207"));
    post(Signed.event("appointment.booked.json", "evt-cs-2", "pat-cs-2"));
    EhrSide.await(ehr, "the dead-lettered message", WAIT, () -> EhrSide.depth(stack, "ToEhrDeadLetterQueue") == 1);
    String nacked = at("pat-cs-2").get(0).controlId();
    assertEquals(Answer.AR, at("pat-cs-2").get(0).answer());

    browser.open(console + "/queues");
    assertEquals("1", browser.text("#queue-to-ehr .dlq-count"), browser.text("#queues"));
    shot("queues");
    browser.clickAndWait("#queue-to-ehr a");
    shot("dlq-to-ehr");
    String page = browser.eval("document.documentElement.outerHTML").asString();
    assertTrue(page.contains(nacked), "the message is listed by its attributes (controlId)");
    assertFalse(page.contains("MSH|") || page.contains("PID|"), "the body is redacted");
    assertTrue(browser.text("#messages").contains("ackCode=AR") || browser.text("#messages").contains("AR"),
        browser.text("#messages"));

    // "show" is explicit: the body, on its own page
    browser.clickAndWait("tr.dlq-message a");
    assertTrue(browser.text("#body").startsWith("MSH|"), "the HL7 on request");
    assertTrue(logs.text().contains("console body access queue=to-ehr"), "and the access is logged");
    shot("dlq-message-shown");
    browser.open(console + "/queues/to-ehr");

    int before = (int) ehr.received().stream().filter(m -> m.controlId().equals(nacked)).count();
    browser.eval("[...document.querySelectorAll('tr.dlq-message')].filter(r => r.innerText.includes("
        + HeadlessChromium.quote(nacked) + ")).forEach(r => r.querySelector('input[type=checkbox]').checked = true)");
    browser.clickAndWait("#redrive-selected");
    shot("dlq-redriven");
    assertTrue(browser.text("#flash").contains("1 message(s) redriven"), browser.text("main"));

    EhrSide.await(ehr, "the redriven " + nacked + " accepted by the EHR", WAIT, () -> ehr.received().stream()
        .anyMatch(m -> m.controlId().equals(nacked) && m.answer() == Answer.AA));
    assertEquals(before + 1, ehr.received().stream().filter(m -> m.controlId().equals(nacked)).count(),
        "sent once more, not twice");
    EhrSide.await(ehr, "the DLQ empty", WAIT, () -> EhrSide.depth(stack, "ToEhrDeadLetterQueue") == 0);
  }

  @Test
  void aReviewCaseIsResolvedFromThePageAndItsBookingLeavesForTheLinkedChart() throws Exception {
    byte[] booking = Signed.event("appointment.booked.json", "evt-cs-3", "pat-cs-3", "console person ottoline");
    chartLike(booking, "MRN-CS-301");
    post(booking);
    var local = LocalStack.localCredentials();
    ReviewClient api = new ReviewClient(stack.apiBaseUrl(), AwsCredentialsIdentity.create(local.accessKey(),
        local.secretKey()), "us-east-1");
    String[] caseId = new String[1];
    EhrSide.await(ehr, "the review case", WAIT, () -> (caseId[0] = openCase(api, "pat-cs-3")) != null);

    browser.open(console + "/reviews");
    shot("reviews");
    String card = "#case-" + caseId[0];
    assertTrue(browser.text(card).contains("pat-cs-3"), browser.text("main"));
    int candidates = browser.eval("document.querySelectorAll(" + HeadlessChromium.quote(card + " .candidate") + ").length")
        .asInt();
    assertTrue(candidates >= 1, "the candidates side by side");
    String family = new PlatformEventReader().read(booking).patient().name().family();
    assertFalse(browser.text(card).contains(family), "no names unless shown");
    browser.clickAndWait(card + " a[href*='show=demographics']");
    assertTrue(browser.text(card).contains(family), "the names on request (logged)");
    shot("review-demographics-shown");
    String text = logs.text();
    assertTrue(text.contains("console demographics access case=" + caseId[0]), "the PHI access is logged");
    PatientDemographics p = new PlatformEventReader().read(booking).patient();
    for (String phi : List.of(family, p.birthDate().toString(), "Foundry", "MRN-CS-301")) {
      assertFalse(text.contains(phi), "a log line contains patient data");
    }
    browser.open(console + "/reviews");

    browser.clickAndWait(card + " .candidate button.link");
    shot("review-resolved");
    assertTrue(browser.text("#flash").contains("resolved (link)"), browser.text("main"));

    JsonNode shown = JSON.readTree(api.show(caseId[0], false).body());
    assertEquals("RESOLVED", shown.path("status").asString(), shown.toString());
    assertEquals("arn:aws:iam::000000000000:user/local-developer", shown.path("resolvedBy").asString());
    EhrSide.await(ehr, "the booking at the EHR for the linked chart", WAIT, () -> ehr.received().stream()
        .anyMatch(m -> m.messageType().startsWith("SIU^S12") && m.text().contains("MRN-CS-301")));
  }

  @Test
  void schedulingSwitchedToShadowFromTheFlowsPageHoldsABookingBackAndIsSwitchedOnAgain() throws Exception {
    // a known patient first: its booking is then one SIU^S12 (the scheduling flow) and nothing else
    post(Signed.event("patient.registered.json", "evt-cs-6", "pat-cs-6"));
    EhrSide.await(ehr, "the registration at the EHR", WAIT, () -> at("pat-cs-6").size() >= 1);
    String row = "#flow-" + TENANT + "-scheduling";
    try {
      browser.open(console + "/flows");
      browser.clickAndWait(row + " button.set-shadow");
      shot("flows-scheduling-shadow");
      assertTrue(browser.text("#flash").contains(TENANT + " scheduling: on -> shadow"), browser.text("main"));
      assertEquals("shadow", browser.text(row + " td.mode-shadow"), browser.text(row));
      assertTrue(browser.text(row + " .history").contains("on->shadow by arn:aws:iam::000000000000:user/local-developer"),
          "audited: who, when, from->to " + browser.text(row));

      int before = at("pat-cs-6").size();
      post(Signed.event("appointment.booked.json", "evt-cs-7", "pat-cs-6"));
      long deadline = System.nanoTime() + WAIT.toNanos();
      JsonNode stages;
      do {
        browser.open(console + "/trace?id=evt-cs-7");
        stages = browser.eval("[...document.querySelectorAll('#trace tr.step')].map(r => r.querySelector('.stage')"
            + ".innerText + ' ' + r.querySelector('.outcome').innerText)");
      } while (count(stages, "to-ehr-translator shadowed") < 1 && System.nanoTime() < deadline);
      shot("trace-shadowed");
      assertEquals(1, count(stages, "to-ehr-translator shadowed"), "the SIU held back: " + stages);
      assertEquals(0, count(stages, "mllp-sender AA"), stages.toString());
      Thread.sleep(1_000);
      assertEquals(before, at("pat-cs-6").size(), "the booking reached nothing at the EHR simulator");
      assertTrue(at("pat-cs-6").stream().noneMatch(m -> m.messageType().startsWith("SIU")));

      browser.open(console + "/metrics");
      shot("metrics-after-shadow");
      assertTrue(Long.parseLong(browser.text("#figures tr[data-metric=BookingsPosted] td.hour")) >= 1,
          browser.text("#figures"));
      assertTrue(Long.parseLong(browser.text("#figures tr[data-metric=FlowHeldBack] td.day")) >= 1,
          browser.text("#figures"));
    } finally {
      browser.open(console + "/flows");
      browser.clickAndWait(row + " button.set-on");
    }
    assertTrue(browser.text("#flash").contains(TENANT + " scheduling: shadow -> on"), browser.text("main"));
    assertEquals("on", browser.text(row + " td.mode-on"), browser.text(row));
    shot("flows-scheduling-on");
  }

  @Test
  void theOtherPagesRenderAndAFormPostWithoutTheBrowsersCsrfTokenIsRefused() throws Exception {
    browser.open(console + "/metrics");
    assertTrue(browser.text("#glance").contains("Open review cases"), browser.text("main"));
    shot("metrics");
    browser.open(console + "/flows");
    String flows = browser.text("#flows"); // the switches of the caller's tenant, every flow, on by default
    assertTrue(flows.contains("demo-clinic") && flows.contains("scheduling") && flows.contains("charges")
        && flows.contains("(default)"), browser.text("main"));
    shot("flows");

    HttpClient http = HttpClient.newHttpClient();
    URI redrive = URI.create(console + "/queues/to-ehr/redrive");
    HttpResponse<String> noCookie = http.send(HttpRequest.newBuilder(redrive).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("scope=all&csrf=forged-token-0000000000"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, noCookie.statusCode(), noCookie.body());
    HttpResponse<String> mismatch = http.send(HttpRequest.newBuilder(redrive).header("Content-Type",
        "application/x-www-form-urlencoded").header("Cookie", "tb_console_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .POST(HttpRequest.BodyPublishers.ofString("scope=all&csrf=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, mismatch.statusCode(), mismatch.body());
    String token = "cccccccccccccccccccccccccccccccc";
    HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(redrive).header("Content-Type",
        "application/x-www-form-urlencoded").header("Cookie", "tb_console_csrf=" + token)
        .header("Sec-Fetch-Site", "cross-site")
        .POST(HttpRequest.BodyPublishers.ofString("scope=all&csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, crossSite.statusCode(), crossSite.body());
    // an unsigned request from elsewhere than a console page stays IAM-only
    assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(stack.apiBaseUrl() + "/v1/reviews")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  // ------------------------------------------------------------------ helpers

  private static long count(JsonNode values, String wanted) {
    long n = 0;
    for (JsonNode v : values) {
      n += v.asString("").equals(wanted) ? 1 : 0;
    }
    return n;
  }

  private static String openCase(ReviewClient api, String patient) {
    try {
      for (JsonNode c : JSON.readTree(api.list(TENANT).body()).path("cases")) {
        if (c.path("platformPatientId").asString().equals(patient)) {
          return c.path("caseId").asString();
        }
      }
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Files an EHR chart sharing only the name and birth date of the event's patient (a possible match). */
  private static void chartLike(byte[] event, String mrn) {
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), stack.tableName("IdentityTable"));
    EhrPatientIndex index = MatcherWiring.ehrPatientIndex(store, store.candidateIndex());
    PatientDemographics p = new PlatformEventReader().read(event).patient();
    PatientDemographics chart = new PatientDemographics(null, p.name(), p.birthDate(), p.sex(),
        List.of(new Phone("home", "+19785550" + mrn.substring(mrn.length() - 3))),
        "someone.else." + mrn.toLowerCase() + "@example.net",
        new Address(List.of("77 Old Foundry Road"), "Worcester", "MA", "01608", "US"), "9" + mrn.substring(mrn.length() - 3));
    PhiScan.record("mrn", mrn);
    index.upsert(TENANT, new EhrPatient(List.of(new Identifier(mrn, "EPI", "MR")), chart));
  }
}
