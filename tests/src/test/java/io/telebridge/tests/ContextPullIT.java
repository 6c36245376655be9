package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.telebridge.aws.EventBridgeContextSchedules;
import io.telebridge.core.context.AssembleContext;
import io.telebridge.core.context.ContextOutcome;
import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.context.ContextSources;
import io.telebridge.core.context.FhirProfile;
import io.telebridge.core.context.PullSchedule;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.fhir.FhirChartReader;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.json.ContextEventWriter;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.platform.PlatformSimulator;
import io.telebridge.local.platform.PlatformSimulator.Delivery;
import io.telebridge.local.scheduler.ScheduleGroupProvisioner;
import io.telebridge.local.fhirserver.FhirServer;
import io.telebridge.local.fhirserver.SyntheticCharts;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11 §5-8, 10, 11 on the local stack (real HTTP, ElasticMQ, moto's EventBridge Scheduler fired by
 * the local stack, the HAPI FHIR JPA server seeded with synthetic charts, the platform simulator): a
 * booking creates the visit's schedule, a reschedule moves it, a cancellation deletes it; a due schedule
 * fires and the platform receives a context that is the seeded chart field by field; on-demand requests
 * answer from a pull, then from the cache; a FHIR server that stays down ends in the context DLQ and
 * {@code patient.context.unavailable}; a schedule firing for a cancelled appointment does nothing; two
 * tenants are kept apart; the tenant's {@code context} flow switched off stops pulls (journaled) and on-demand
 * requests (problem+json), in shadow pulls and keeps, delivering nothing (issue 14).
 */
class ContextPullIT {

  private static final String DEMO = TenantIsolationIT.DEMO;
  private static final String NORTH = TenantIsolationIT.NORTH;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> MRNS = Map.of("pat-cx-1", "CX-100234", "pat-cx-2", "CX-100235",
      "pat-cx-3", "CX-100236", "pat-cx-4", "CX-100237");

  private static LocalStack stack;
  private static PlatformSimulator platform;
  private static FhirProxy fhir;
  private static SchedulerClient scheduler;
  private static String group;
  private static Instant seededAt;

  @BeforeAll
  static void start() throws Exception {
    FhirServer server = FhirServer.shared();
    fhir = new FhirProxy(server.baseUrl());
    seededAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    var client = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    for (Map.Entry<String, String> e : MRNS.entrySet()) {
      chart("cx" + e.getValue().replace("-", "").toLowerCase(java.util.Locale.ROOT), e.getValue()).writeTo(client);
    }
    LocalStackOptions options = LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .platformSimulatorPort(0)
        .fhirUrl(fhir.base())
        .schedulerPoll(Duration.ofMillis(300));
    options.parameter("ContextLeadMinutes", "1");
    options.parameter("FlowSwitchCacheSeconds", "0"); // the context flow's switch test: no waiting for a cache
    options.parameter("Tenants", "{\"" + DEMO + "\": {\"ehrFacilities\": [\"MAIN_CLINIC\"]}, \"" + NORTH
        + "\": {\"ehrProfile\": \"" + TenantIsolationIT.northProfile() + "\", \"ehrFacilities\": [\"NORTH_HOSP\"]}}");
    options.secretValue("WebhookSecretArn", TenantIsolationIT.webhookSecrets(options.devSigningSecret()));
    stack = LocalStack.start(options);
    platform = stack.platformSimulator();
    scheduler = ScheduleGroupProvisioner.client(stack.motoEndpoint());
    group = stack.tableName("ContextScheduleGroup");
    loadCharts();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (fhir != null) {
      fhir.close();
    }
  }

  /** A synthetic chart: two active problems and a resolved one, two medications, an allergy, two labs. */
  static SyntheticCharts.Chart chart(String fhirId, String mrn) {
    Instant twoDaysAgo = seededAt.minus(2, ChronoUnit.DAYS);
    SyntheticCharts.Chart c = SyntheticCharts.chart(fhirId, mrn, "Avery", "Quinn", "1984-07-19");
    c.condition("dm", "44054006", "Diabetes mellitus type 2", "active", "problem-list-item", "2019-03-14");
    c.condition("htn", "38341003", "Hypertensive disorder", "active", "problem-list-item", "2017-08-01");
    c.condition("pharyngitis", "195662009", "Acute viral pharyngitis", "resolved", "problem-list-item", "2024-02-01");
    c.medicationRequest("metformin", "860975", "metformin hydrochloride 500 MG Oral Tablet", "active",
        "500 mg by mouth twice daily with meals");
    c.medicationStatement("ibuprofen", "310965", "ibuprofen 200 MG Oral Tablet", "200 mg as needed for pain");
    c.allergy("penicillin", "764146007", "Penicillin", "active", AllergyIntolerance.AllergyIntoleranceCriticality.HIGH,
        "271807003", "Skin rash", AllergyIntolerance.AllergyIntoleranceSeverity.MODERATE);
    Observation glucose = c.lab("glu", "2345-7", "Glucose", twoDaysAgo, new BigDecimal("112"), "mg/dL",
        new BigDecimal("70"), new BigDecimal("99"), "H", "laboratory");
    Observation sodium = c.lab("na", "2951-2", "Sodium", twoDaysAgo, new BigDecimal("139"), "mmol/L",
        new BigDecimal("136"), new BigDecimal("145"), "N", "laboratory");
    c.report("bmp", "51990-0", "Basic metabolic panel - Blood", twoDaysAgo, "Glucose above range.",
        List.of(glucose, sodium));
    return c;
  }

  /** The EHR's patient list (FHIR NDJSON) with each test patient's MRN, so their bookings link to it. */
  static void loadCharts() throws Exception {
    PlatformEventReader reader = new PlatformEventReader();
    StringBuilder ndjson = new StringBuilder();
    for (Map.Entry<String, String> e : MRNS.entrySet()) {
      PatientDemographics d = reader.read(new String(Signed.event("appointment.booked.json", "evt-load", e.getKey()),
          StandardCharsets.UTF_8)).patient();
      ndjson.append("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"").append(SyntheticCharts.MRN_SYSTEM)
          .append("\",\"value\":\"").append(e.getValue()).append("\",\"type\":{\"coding\":[{\"code\":\"MR\"}]}}],")
          .append("\"name\":[{\"family\":\"").append(d.name().family()).append("\",\"given\":[\"")
          .append(d.name().given().get(0)).append("\"]}],\"gender\":\"male\",\"birthDate\":\"").append(d.birthDate())
          .append("\",\"telecom\":[{\"system\":\"phone\",\"value\":\"").append(d.phones().get(0).number())
          .append("\"}],\"address\":[{\"line\":[\"").append(d.address().lines().get(0)).append("\"],\"city\":\"")
          .append(d.address().city()).append("\",\"state\":\"").append(d.address().state())
          .append("\",\"postalCode\":\"").append(d.address().postalCode()).append("\"}]}\n");
    }
    Path file = Files.createTempDirectory("ctx-charts").resolve("patients.ndjson");
    Files.writeString(file, ndjson);
    List<String> args = new ArrayList<>(List.of(file.toString(), "--system", SyntheticCharts.MRN_SYSTEM + "=EPI",
        "--tenant", DEMO, "--endpoint", stack.motoEndpoint().toString(), "--table", stack.tableName("IdentityTable")));
    assertEquals(0, io.telebridge.local.LoadPatients.run(args, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
        System.err));
  }

  /** An appointment event of a sample, for this patient and appointment, starting at {@code start}. */
  static byte[] appointment(String sample, String eventId, String patientId, String appointmentId, Instant start)
      throws IOException {
    String body = new String(Signed.event(sample, eventId, patientId), StandardCharsets.UTF_8)
        .replace("\"apt-3001\"", "\"" + appointmentId + "\"").replace("\"apt-3002\"", "\"" + appointmentId + "\"")
        .replaceFirst("\"start\": \"[^\"]+\"", "\"start\": \"" + start.truncatedTo(ChronoUnit.SECONDS) + "\"")
        .replaceFirst("\"end\": \"[^\"]+\"", "\"end\": \"" + start.truncatedTo(ChronoUnit.SECONDS).plus(30,
            ChronoUnit.MINUTES) + "\"");
    return body.getBytes(StandardCharsets.UTF_8);
  }

  static void send(byte[] body) throws Exception {
    HttpResponse<String> r = Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body);
    assertEquals(202, r.statusCode(), r.body());
  }

  static HttpResponse<String> contextRequest(String secret, String body) throws Exception {
    return Signed.post(stack.apiUrl("/v1/context-requests"), secret, body.getBytes(StandardCharsets.UTF_8));
  }

  static Optional<String> expressionOf(String tenant, String appointmentId) {
    try {
      return Optional.of(scheduler.getSchedule(b -> b.groupName(group).name(PullSchedule.nameOf(tenant, appointmentId)))
          .scheduleExpression());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  static Optional<String> awaitExpression(String tenant, String appointmentId, java.util.function.Predicate<Optional<String>> done)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    Optional<String> e = expressionOf(tenant, appointmentId);
    while (!done.test(e) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      e = expressionOf(tenant, appointmentId);
    }
    return e;
  }

  /** The context events the platform received for a demo-clinic patient, as JSON (north's are its own). */
  static List<JsonNode> contextEvents(String patientId) {
    List<JsonNode> out = new ArrayList<>();
    for (Delivery d : platform.received()) {
      JsonNode n = JSON.readTree(d.body());
      if (n.path("type").asString().startsWith("patient.context.") && DEMO.equals(n.path("tenant").asString())
          && patientId.equals(n.path("patient").path("platformPatientId").asString())) {
        out.add(n);
      }
    }
    return out;
  }

  static List<JsonNode> awaitContextEvents(String patientId, int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (contextEvents(patientId).size() < n && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    List<JsonNode> events = contextEvents(patientId);
    if (events.size() < n) {
      fail("the platform received " + events.size() + " context events of " + patientId + ", expected " + n);
    }
    return events;
  }

  /** The seeded chart, assembled straight from the FHIR server (ClinicalContextIT checks it against the seed). */
  static JsonNode expectedDocument(String patientId) {
    FhirChartReader reader = new FhirChartReader(FhirContexts.r4(), FhirChartReader.Settings.defaults("ehr-fhir",
        fhir.base(), Map.of(SyntheticCharts.MRN_SYSTEM, "EPI")), null);
    AssembleContext assemble = new AssembleContext(
        (tenant, patient) -> Optional.of(new Identifier(MRNS.get(patient), "EPI", "MR")),
        tenant -> Optional.of(new ContextSources.Source(FhirProfile.withDefaults(SyntheticCharts.MRN_SYSTEM), reader)),
        Clock.systemUTC());
    ContextOutcome outcome = assemble.assemble(new ContextRequest(DEMO, patientId, null));
    return JSON.readTree(new ContextEventWriter().writeContext(((ContextOutcome.Ready) outcome).context()));
  }

  static void assertIsTheSeededChart(String patientId, JsonNode document) {
    JsonNode expected = expectedDocument(patientId);
    for (String section : List.of("patient", "problems", "medications", "allergies", "results", "sections")) {
      assertEquals(expected.get(section), document.get(section), section);
    }
    // and what was seeded, read off the delivered document itself
    assertEquals(List.of("38341003", "44054006"), codes(document.path("problems"), "code"), "active problem-list items only");
    assertEquals(List.of("310965", "860975"), codes(document.path("medications"), "medication"));
    assertEquals(List.of("764146007"), codes(document.path("allergies"), "substance"));
    assertEquals(3, document.path("results").size(), "two labs and their panel");
    assertEquals(MRNS.get(patientId), document.path("patient").path("identifiers").path(0).path("value").asString(""),
        document.path("patient").toString());
    assertEquals("ehr-fhir", document.path("provenance").path("source").asString());
    assertEquals(1, document.path("provenance").path("roundTrips").asInt(), "one batch round trip");
  }

  static List<String> codes(JsonNode items, String field) {
    List<String> out = new ArrayList<>();
    items.forEach(i -> out.add(i.path(field).path("code").asString()));
    return out.stream().sorted().toList();
  }

  // ------------------------------------------------------------------------------------------ tests

  @Test
  void aBookingCreatesTheVisitsScheduleARescheduleMovesItACancellationDeletesIt() throws Exception {
    Instant start = Instant.now().plus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);
    send(appointment("appointment.booked.json", "evt-cx-s1", "pat-cx-1", "apt-cx-s", start));
    String booked = EventBridgeContextSchedules.expression(start.minus(1, ChronoUnit.MINUTES));
    assertEquals(Optional.of(booked), awaitExpression(DEMO, "apt-cx-s", Optional::isPresent));

    Instant later = start.plus(1, ChronoUnit.DAYS);
    send(appointment("appointment.rescheduled.json", "evt-cx-s2", "pat-cx-1", "apt-cx-s", later));
    String moved = EventBridgeContextSchedules.expression(later.minus(1, ChronoUnit.MINUTES));
    assertEquals(Optional.of(moved), awaitExpression(DEMO, "apt-cx-s", e -> e.equals(Optional.of(moved))));

    send(appointment("appointment.cancelled.json", "evt-cx-s3", "pat-cx-1", "apt-cx-s", later));
    assertEquals(Optional.empty(), awaitExpression(DEMO, "apt-cx-s", Optional::isEmpty));
    assertEquals(Optional.empty(), expressionOf(NORTH, "apt-cx-s"), "one tenant's appointment, one tenant's schedule");
  }

  @Test
  void aDueScheduleFiresAndThePlatformReceivesTheSeededChart() throws Exception {
    // a visit 75 s from now with a 1-minute lead: its pull is due in about 15 s, not now
    Instant start = Instant.now().plusSeconds(75).truncatedTo(ChronoUnit.SECONDS);
    send(appointment("appointment.booked.json", "evt-cx-f1", "pat-cx-4", "apt-cx-f", start));
    Optional<String> scheduled = awaitExpression(DEMO, "apt-cx-f", Optional::isPresent);
    assertEquals(Optional.of(EventBridgeContextSchedules.expression(start.minus(1, ChronoUnit.MINUTES))), scheduled);

    JsonNode event = awaitContextEvents("pat-cx-4", 1).get(0);
    assertEquals("patient.context.ready", event.path("type").asString());
    assertEquals(DEMO, event.path("tenant").asString());
    assertEquals("apt-cx-f", event.path("data").path("appointmentId").asString());
    Instant fetchedAt = Instant.parse(event.path("data").path("context").path("provenance").path("fetchedAt").asString());
    assertFalse(fetchedAt.isBefore(start.minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)),
        "pulled when due, not at booking: " + fetchedAt);
    assertEquals(fetchedAt.toEpochMilli(), event.path("data").path("version").asLong());
    assertIsTheSeededChart("pat-cx-4", event.path("data").path("context"));
    assertEquals(Optional.empty(), expressionOf(DEMO, "apt-cx-f"), "a one-time schedule is gone once fired");
  }

  @Test
  void onDemandPullsFirstThenAnswersFromTheCacheAndDeliversTheWebhook() throws Exception {
    // the platform patient is linked to the loaded chart by its first event (the matcher), here a registration
    send(Signed.event("patient.registered.json", "evt-cx-o1", "pat-cx-2"));
    var identities = new io.telebridge.aws.DynamoDbIdentityStore(stack.adapterDynamoDb(), stack.tableName("IdentityTable"));
    Instant deadline = Instant.now().plus(WAIT);
    while (identities.xref(DEMO, "pat-cx-2").isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    String body = "{\"tenant\":\"" + DEMO + "\",\"patientId\":\"pat-cx-2\"}";
    HttpResponse<String> first = contextRequest(stack.devSigningSecret(), body);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals("pulled", first.headers().firstValue("X-Telebridge-Context").orElse(null));
    JsonNode document = JSON.readTree(first.body());
    assertIsTheSeededChart("pat-cx-2", document);

    HttpResponse<String> second = contextRequest(stack.devSigningSecret(), body);
    assertEquals(200, second.statusCode());
    assertEquals("cached", second.headers().firstValue("X-Telebridge-Context").orElse(null));
    assertEquals(document, JSON.readTree(second.body()));
    assertEquals("patient.context.ready", awaitContextEvents("pat-cx-2", 1).get(0).path("type").asString());

    // ./tb context prints the same document through the same route
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    int exit = io.telebridge.local.Cli.run(new String[] {"context", DEMO, "pat-cx-2", "--url",
        stack.apiUrl("/v1/context-requests").toString(), "--secret", stack.devSigningSecret()},
        new java.io.PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, exit);
    assertEquals(document, JSON.readTree(printed.toString(StandardCharsets.UTF_8)));

    HttpResponse<String> bad = contextRequest(stack.devSigningSecret(), "{\"tenant\":\"" + DEMO + "\"}");
    assertEquals(400, bad.statusCode());
    assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse(null));
    assertTrue(bad.body().contains("/patientId"), bad.body());
  }

  @Test
  void aFhirServerThatStaysDownEndsInTheDlqAndPatientContextUnavailable() throws Exception {
    String dlq = stack.queueUrl("ContextDeadLetterQueue");
    fhir.down(true);
    try {
      send(appointment("appointment.booked.json", "evt-cx-d1", "pat-cx-3", "apt-cx-d", Instant.now().plusSeconds(30)));
      JsonNode event = awaitContextEvents("pat-cx-3", 1).get(0);
      assertEquals("patient.context.unavailable", event.path("type").asString());
      assertEquals("fhir_unavailable", event.path("data").path("reason").asString());
      assertTrue(fhir.refused() >= 2, "retried: " + fhir.refused() + " refused requests");
    } finally {
      fhir.down(false);
    }
    List<Message> dead = stack.sqs().receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10)
        .messageAttributeNames("All").waitTimeSeconds(2)).messages();
    Message m = dead.stream().filter(x -> x.body().contains("pat-cx-3")).findFirst().orElseThrow(
        () -> new AssertionError("no DLQ message for the pull: " + dead));
    assertEquals("fhir_unavailable", m.messageAttributes().get("reason").stringValue());
    assertEquals(DEMO, m.messageAttributes().get("tenant").stringValue());
    assertFalse(m.body().contains("Quinn") || m.body().contains("CX-100236"), "ids only: " + m.body());
  }

  @Test
  void aScheduleFiringForACancelledAppointmentDoesNothing() throws Exception {
    Instant start = Instant.now().plus(3, ChronoUnit.DAYS);
    send(appointment("appointment.booked.json", "evt-cx-c1", "pat-cx-1", "apt-cx-c", start));
    awaitExpression(DEMO, "apt-cx-c", Optional::isPresent);
    send(appointment("appointment.cancelled.json", "evt-cx-c2", "pat-cx-1", "apt-cx-c", start));
    assertEquals(Optional.empty(), awaitExpression(DEMO, "apt-cx-c", Optional::isEmpty));
    // a schedule that fires anyway (deleted too late, a race): the context function checks the appointment
    Map<String, String> env = stack.functionEnvironment("ContextApiFunction");
    new EventBridgeContextSchedules(scheduler, new EventBridgeContextSchedules.Settings(group,
        env.get("CONTEXT_FUNCTION_ARN"), env.get("CONTEXT_SCHEDULER_ROLE_ARN"), env.get("CONTEXT_TARGET_DLQ_ARN"), 2))
        .put(new PullSchedule(DEMO, "apt-cx-c", "pat-cx-1", Instant.now()));
    assertEquals(Optional.empty(), awaitExpression(DEMO, "apt-cx-c", Optional::isEmpty), "it fired");
    Thread.sleep(2000);
    assertTrue(contextEvents("pat-cx-1").stream().noneMatch(e -> "apt-cx-c".equals(
        e.path("data").path("appointmentId").asString(""))), "nothing sent for the cancelled appointment");
  }

  @Test
  void theContextFlowOffPullsNothingAndInShadowDeliversNothingBothJournaled() throws Exception {
    var local = LocalStack.localCredentials();
    io.telebridge.local.ReviewClient ops = new io.telebridge.local.ReviewClient(stack.apiBaseUrl(),
        software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(local.accessKey(), local.secretKey()),
        "us-east-1");
    String body = "{\"tenant\":\"" + DEMO + "\",\"patientId\":\"pat-cx-9\"}";
    try {
      assertEquals(200, ops.send("PUT", "/v1/flows/" + DEMO + "/context", "{\"mode\":\"off\"}").statusCode());
      HttpResponse<String> off = contextRequest(stack.devSigningSecret(), body);
      assertEquals(503, off.statusCode(), off.body());
      assertEquals("application/problem+json", off.headers().firstValue("Content-Type").orElse(null));
      assertTrue(off.body().contains("urn:telebridge:problem:flow-off") && off.body().contains("switched off"),
          off.body());

      // a schedule firing while the flow is off: the function journals it and pulls nothing
      Map<String, String> env = stack.functionEnvironment("ContextApiFunction");
      int asked = fhir.requests();
      new EventBridgeContextSchedules(scheduler, new EventBridgeContextSchedules.Settings(group,
          env.get("CONTEXT_FUNCTION_ARN"), env.get("CONTEXT_SCHEDULER_ROLE_ARN"), env.get("CONTEXT_TARGET_DLQ_ARN"), 2))
          .put(new PullSchedule(DEMO, "apt-cx-off", "pat-cx-9", Instant.now()));
      assertEquals(Optional.empty(), awaitExpression(DEMO, "apt-cx-off", Optional::isEmpty), "it fired");
      JsonNode trace = awaitTrace(ops, "apt-cx-off", "context switched-off");
      assertEquals("patient.context.pull", trace.path("steps").get(0).path("type").asString(), trace.toString());
      assertEquals(asked, fhir.requests(), "the FHIR server was not asked");

      assertEquals(200, ops.send("PUT", "/v1/flows/" + DEMO + "/context", "{\"mode\":\"shadow\"}").statusCode());
      HttpResponse<String> shadow = contextRequest(stack.devSigningSecret(), body);
      assertEquals(503, shadow.statusCode(), shadow.body());
      assertTrue(shadow.body().contains("urn:telebridge:problem:flow-shadow"), shadow.body());
      awaitTrace(ops, "pat-cx-9", "context shadowed");
      Thread.sleep(1000);
      assertTrue(contextEvents("pat-cx-9").isEmpty(), "nothing for the platform: " + contextEvents("pat-cx-9"));
    } finally {
      assertEquals(200, ops.send("PUT", "/v1/flows/" + DEMO + "/context", "{\"mode\":\"on\"}").statusCode());
    }
  }

  /** The ops API's trace of an id once it holds a step "stage outcome". */
  static JsonNode awaitTrace(io.telebridge.local.ReviewClient ops, String id, String step) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    String last = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = ops.send("GET", "/v1/traces/" + id, null);
      last = r.body();
      if (r.statusCode() == 200) {
        JsonNode t = JSON.readTree(r.body());
        for (JsonNode s : t.path("steps")) {
          if ((s.path("stage").asString() + " " + s.path("outcome").asString()).equals(step)) {
            return t;
          }
        }
      }
      Thread.sleep(250);
    }
    fail("the trace of " + id + " never showed " + step + "; last: " + last);
    return null;
  }

  @Test
  void twoTenantsAreKeptApart() throws Exception {
    HttpResponse<String> otherTenant = contextRequest(TenantIsolationIT.NORTH_SECRET,
        "{\"tenant\":\"" + DEMO + "\",\"patientId\":\"pat-cx-2\"}");
    assertEquals(401, otherTenant.statusCode(), "north's secret cannot ask for demo's patient");
    HttpResponse<String> unknownThere = contextRequest(TenantIsolationIT.NORTH_SECRET,
        "{\"tenant\":\"" + NORTH + "\",\"patientId\":\"pat-cx-2\"}");
    assertEquals(404, unknownThere.statusCode(), "demo's patient is not north's: " + unknownThere.body());
    assertTrue(unknownThere.body().contains("patient_not_linked"), unknownThere.body());
    HttpResponse<String> unsigned = Signed.post(stack.apiUrl("/v1/context-requests"), "application/json",
        Long.toString(Instant.now().getEpochSecond()), "v1=00", ("{\"tenant\":\"" + DEMO
            + "\",\"patientId\":\"pat-cx-2\"}").getBytes(StandardCharsets.UTF_8));
    assertEquals(401, unsigned.statusCode());
  }

  // ------------------------------------------------------------------------------------------ FHIR proxy

  /** A loopback proxy in front of the FHIR server that can play "down" (503 to everything). */
  static final class FhirProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String upstream;
    private volatile boolean down;
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    FhirProxy(String upstream) throws IOException {
      this.upstream = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext("/", this::handle);
      server.start();
    }

    String base() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    void down(boolean value) {
      down = value;
      refused.set(0);
    }

    int refused() {
      return refused.get();
    }

    /** Every request the proxy got. */
    int requests() {
      return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        requests.incrementAndGet();
        if (down) {
          refused.incrementAndGet();
          exchange.sendResponseHeaders(503, -1);
          return;
        }
        String path = exchange.getRequestURI().getRawPath().replaceFirst("^/fhir", "");
        String query = exchange.getRequestURI().getRawQuery();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path + (query == null ? "" : "?" + query)))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody()
                .readAllBytes()));
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
          b.header("Content-Type", type);
        }
        b.header("Accept", "application/fhir+json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        byte[] out = r.body().replace(upstream, base()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type")
            .orElse("application/fhir+json"));
        exchange.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          exchange.getResponseBody().write(out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
