package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.matching.mpi.MatcherWiring;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.Phone;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.ReviewClient;
import io.telebridge.matching.mpi.MatchingEhrPatientIndex;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A possible match end to end on the local stack: the booking of a patient whose name and birth date
 * (and nothing else) agree with an EHR chart is parked, with the patient's later events behind it;
 * nothing reaches the EHR; the case is listed by the review API (signed with SigV4 by the SDK, refused
 * unsigned) and resolved there; the parked events then leave in order for the right chart.
 */
class ReviewApiIT {

  // each patient's invented demographics come from a person key of its own (Signed.withPerson): keys
  // that differ in one character would give near-identical people, whom the matcher rightly links

  private static final String TENANT = "demo-clinic";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, List<Message>> BY_GROUP = new ConcurrentHashMap<>();

  private static LocalStack stack;
  private static String toEhr;
  private static ReviewClient reviews;
  private static EhrPatientIndex ehr;
  private static LogCapture logs;

  @BeforeAll
  static void start() throws IOException {
    logs = new LogCapture();
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")));
    toEhr = stack.queueUrl("ToEhrQueue");
    var local = LocalStack.localCredentials();
    reviews = new ReviewClient(stack.apiBaseUrl(), AwsCredentialsIdentity.create(local.accessKey(), local.secretKey()),
        "us-east-1");
    DynamoDbIdentityStore ehrStore = new DynamoDbIdentityStore(stack.adapterDynamoDb(), stack.tableName("IdentityTable"));
    ehr = MatcherWiring.ehrPatientIndex(ehrStore, ehrStore.candidateIndex());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    logs.close();
  }

  /** Files an EHR chart sharing only the name and birth date of the event's patient; returns its MRN. */
  private static Identifier chartLike(byte[] event, String mrn) {
    return chartLike(TENANT, event, mrn);
  }

  private static Identifier chartLike(String tenant, byte[] event, String mrn) {
    PatientDemographics p = new PlatformEventReader().read(event).patient();
    PatientDemographics chart = new PatientDemographics(null, p.name(), p.birthDate(), p.sex(),
        List.of(new Phone("home", "+19785550" + mrn.substring(mrn.length() - 3))),
        "someone.else." + mrn.toLowerCase() + "@example.net",
        new Address(List.of("77 Old Foundry Road"), "Worcester", "MA", "01608", "US"), "9" + mrn.substring(mrn.length() - 3));
    Identifier id = new Identifier(mrn, "EPI", "MR");
    PhiScan.record("mrn", mrn);
    ehr.upsert(tenant, new EhrPatient(List.of(id), chart));
    return id;
  }

  private static void send(byte[] body) throws Exception {
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body).statusCode());
  }

  private static JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  /** Waits until the patient's open case holds {@code parked} events; returns the case id. */
  private static String awaitCase(String patientId, int parked) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> list = reviews.list(TENANT);
      assertEquals(200, list.statusCode(), list.body());
      for (JsonNode c : json(list).get("cases")) {
        if (c.get("platformPatientId").asString().equals(patientId)) {
          String caseId = c.get("caseId").asString();
          HttpResponse<String> show = reviews.show(caseId, false);
          if (json(show).get("parkedEvents").size() >= parked) {
            return caseId;
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no review case with " + parked + " parked event(s) for " + patientId);
  }

  private static synchronized List<Message> receive(String group, int expected, Duration within) {
    Instant deadline = Instant.now().plus(within);
    while (BY_GROUP.getOrDefault(group, List.of()).size() < expected && Instant.now().isBefore(deadline)) {
      for (Message m : stack.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(toEhr)
          .maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All").build()).messages()) {
        String g = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
        BY_GROUP.computeIfAbsent(g, k -> new CopyOnWriteArrayList<>()).add(m);
        stack.sqs().deleteMessage(b -> b.queueUrl(toEhr).receiptHandle(m.receiptHandle()));
      }
    }
    return List.copyOf(BY_GROUP.getOrDefault(group, List.of()));
  }

  private static List<String> types(List<Message> messages) {
    return messages.stream().map(m -> m.messageAttributes().get("messageType").stringValue()).toList();
  }

  private static String pid(Message m) {
    for (String s : m.body().split("\r")) {
      if (s.startsWith("PID|")) {
        return s;
      }
    }
    return "";
  }

  @Test
  void aPossibleMatchWaitsForReviewAndItsEventsLeaveInOrderForTheLinkedChartOnceResolved() throws Exception {
    byte[] booking = Signed.event("appointment.booked.json", "evt-rv-1a", "pat-rv-1", "review person anneliese");
    Identifier mrn = chartLike(booking, "MRN-RV-101");
    send(booking);
    send(Signed.event("appointment.rescheduled.json", "evt-rv-1b", "pat-rv-1", "review person anneliese"));
    String caseId = awaitCase("pat-rv-1", 2);
    assertTrue(receive("demo-clinic:pat-rv-1", 1, Duration.ofSeconds(3)).isEmpty(),
        "nothing reaches the EHR while the patient waits for review");

    JsonNode listed = null;
    for (JsonNode c : json(reviews.list(TENANT)).get("cases")) {
      if (c.get("caseId").asString().equals(caseId)) {
        listed = c;
      }
    }
    assertNotNull(listed);
    assertEquals("OPEN", listed.get("status").asString());
    String person = MatchingEhrPatientIndex.ehrPersonId(TENANT, mrn);
    assertEquals(person, listed.get("candidates").get(0).get("personId").asString());
    HttpResponse<String> unsigned = Signed.HTTP.send(HttpRequest.newBuilder(
        stack.apiUrl("/v1/reviews?tenant=" + TENANT)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, unsigned.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", unsigned.body());
    JsonNode shown = json(reviews.show(caseId, false));
    assertEquals(List.of("evt-rv-1a", "evt-rv-1b"),
        List.of(shown.get("parkedEvents").get(0).get("eventId").asString(),
            shown.get("parkedEvents").get(1).get("eventId").asString()));

    HttpResponse<String> resolved = reviews.link(caseId, person);
    assertEquals(200, resolved.statusCode(), resolved.body());
    assertEquals("RESOLVED", json(resolved).get("status").asString());
    assertEquals(LocalStack.LOCAL_USER_ARN, json(resolved).get("resolvedBy").asString());
    List<Message> out = receive("demo-clinic:pat-rv-1", 2, Duration.ofSeconds(20));
    assertEquals(List.of("SIU^S12", "SIU^S13"), types(out), "the parked events in order, no registration");
    for (Message m : out) {
      assertTrue(pid(m).contains("MRN-RV-101"), "PID-3 carries the chart's MRN");
    }

    send(Signed.event("appointment.cancelled.json", "evt-rv-1c", "pat-rv-1", "review person anneliese"));
    List<Message> later = receive("demo-clinic:pat-rv-1", 3, Duration.ofSeconds(20));
    assertEquals(List.of("SIU^S12", "SIU^S13", "SIU^S15"), types(later), "a later event flows without parking");
    assertTrue(pid(later.get(2)).contains("MRN-RV-101"));

    HttpResponse<String> conflicting = reviews.createNew(caseId);
    assertEquals(409, conflicting.statusCode());
    assertEquals("application/problem+json", conflicting.headers().firstValue("content-type").orElse(""));
    assertEquals(200, reviews.link(caseId, person).statusCode(), "the same decision again is a no-op");
    assertEquals(3, receive("demo-clinic:pat-rv-1", 4, Duration.ofSeconds(3)).size(), "and sends nothing twice");
  }

  @Test
  void aCaseResolvedAsNewRegistersThePatientBeforeItsBooking() throws Exception {
    byte[] booking = Signed.event("appointment.booked.json", "evt-rv-2a", "pat-rv-2", "review person bartholomew");
    chartLike(booking, "MRN-RV-202");
    send(booking);
    String caseId = awaitCase("pat-rv-2", 1);

    HttpResponse<String> withPhi = reviews.show(caseId, true);
    assertEquals(200, withPhi.statusCode());
    assertTrue(json(withPhi).get("demographics").get("candidates").get(0).get("records").get(0).get("streetName")
        .asString().contains("foundry"), "the candidate's record, on explicit request");
    assertEquals(404, reviews.createNew("rc-does-not-exist").statusCode());
    assertEquals(400, reviews.resolve(caseId, "{\"action\":\"merge\"}").statusCode());

    HttpResponse<String> resolved = reviews.createNew(caseId);
    assertEquals(200, resolved.statusCode(), resolved.body());
    List<Message> out = receive("demo-clinic:pat-rv-2", 2, Duration.ofSeconds(20));
    assertEquals(List.of("ADT^A04", "SIU^S12"), types(out));
    assertFalse(pid(out.get(0)).contains("MRN-RV-202"), "a new patient, not the chart");
  }

  @Test
  void theReviewCommandListsShowsAndResolvesThroughTheSignedApi() throws Exception {
    byte[] booking = Signed.event("appointment.booked.json", "evt-rv-4a", "pat-rv-4", "review person dagobert");
    chartLike(booking, "MRN-RV-404");
    send(booking);
    String caseId = awaitCase("pat-rv-4", 1);
    String base = stack.apiBaseUrl().toString();

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = io.telebridge.local.Cli.run(new String[] {"review", "list", "--url", base, "--tenant", TENANT},
        new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
    assertEquals(0, code, err.toString());
    String table = out.toString();
    assertTrue(table.startsWith("CASE "), table);
    assertTrue(table.contains(caseId) && table.contains("pat-rv-4") && table.contains("candidate " + MatchingEhrPatientIndex.ehrPersonId(TENANT, new Identifier("MRN-RV-404", "EPI", "MR")))
        && !table.contains("MRN-RV-404"),
        table);

    out.reset();
    assertEquals(0, io.telebridge.local.Cli.run(new String[] {"review", "new", caseId, "--url", base},
        new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)), err.toString());
    assertEquals("RESOLVED", JSON.readTree(out.toString()).get("status").asString());
    assertEquals(List.of("ADT^A04", "SIU^S12"), types(receive("demo-clinic:pat-rv-4", 2, Duration.ofSeconds(20))));

    err.reset();
    assertEquals(1, io.telebridge.local.Cli.run(new String[] {"review", "link", caseId,
        MatchingEhrPatientIndex.ehrPersonId(TENANT, new Identifier("MRN-RV-404", "EPI", "MR")),
        "--url", base}, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)));
    assertTrue(err.toString().contains("HTTP 409"), err.toString());
  }

  @Test
  void theReviewFlowLogsIdsButNoPatientData() throws Exception {
    byte[] booking = Signed.event("appointment.booked.json", "evt-rv-3a", "pat-rv-3", "review person cordelia");
    chartLike(booking, "MRN-RV-303");
    send(booking);
    String caseId = awaitCase("pat-rv-3", 1);
    assertEquals(200, reviews.show(caseId, true).statusCode());
    PatientDemographics p = new PlatformEventReader().read(booking).patient();
    String text = logs.text();
    assertTrue(text.contains("demographics access case=" + caseId), "the PHI access is logged with the case id");
    assertTrue(text.contains(LocalStack.LOCAL_USER_ARN), "and the caller");
    for (String phi : List.of(p.name().family(), p.birthDate().toString(), "Foundry", "MRN-RV-303")) {
      assertFalse(text.contains(phi), "a log line contains patient data");
    }
  }

  @Test
  void aCallerSeesOnlyItsOwnTenantsCasesAndLinksOnlyToTheCasesCandidatesOrAConfirmedPersonOfTheSameTenant()
      throws Exception {
    // a north-clinic case, parked by the matcher as the translator would; the local developer reviews demo-clinic only
    String north = "north-clinic";
    byte[] northEvent = Signed.event("appointment.booked.json", "evt-rv-5n", "pat-rv-5", "review person eglantine")
        ;
    Identifier northMrn = chartLike(north, northEvent, "MRN-RV-505");
    var store = new io.telebridge.aws.DynamoDbIdentityStore(stack.adapterDynamoDb(), stack.tableName("IdentityTable"));
    var parked = new io.telebridge.matching.mpi.MatchingPatientResolver(store, store.candidateIndex(), "TELEHEALTH",
        java.time.Clock.systemUTC()).resolve(new io.telebridge.core.identity.ResolveRequest(north,
            new PlatformEventReader().read(northEvent).patient(), "evt-rv-5n", new String(northEvent), null));
    assertTrue(parked.parked());
    String northCase = parked.parkedInCase();
    // the same platform patient id and the same MRN value in demo-clinic
    byte[] booking = Signed.event("appointment.booked.json", "evt-rv-5a", "pat-rv-5", "review person eglantine");
    Identifier demoMrn = chartLike(booking, "MRN-RV-505");
    send(booking);
    String caseId = awaitCase("pat-rv-5", 1);

    assertEquals(404, reviews.show(northCase, false).statusCode(), "another tenant's case is not found");
    assertEquals(404, reviews.send("GET", "/v1/reviews/" + northCase + "?tenant=" + north + "&include=demographics",
        null).statusCode(), "whatever the query parameter says");
    assertEquals(404, reviews.createNew(northCase).statusCode(), "nor resolved");
    assertEquals(403, reviews.list(north).statusCode(), "listing a tenant the caller is not mapped to is forbidden");
    for (JsonNode c : json(reviews.list(TENANT)).get("cases")) {
      assertEquals(TENANT, c.get("tenant").asString(), "the list holds the caller's tenant only");
    }

    String northPerson = MatchingEhrPatientIndex.ehrPersonId(north, northMrn);
    HttpResponse<String> crossTenant = reviews.resolve(caseId,
        "{\"action\":\"link\",\"personId\":\"" + northPerson + "\",\"confirm\":true}");
    assertEquals(422, crossTenant.statusCode(), "never another tenant's person, even confirmed: " + crossTenant.body());
    assertFalse(crossTenant.body().contains("MRN-RV-505"));
    byte[] someoneElse = Signed.event("appointment.booked.json", "evt-rv-6a", "pat-rv-6", "review person fenella");
    String otherPerson = MatchingEhrPatientIndex.ehrPersonId(TENANT, chartLike(someoneElse, "MRN-RV-606"));
    HttpResponse<String> notCandidate = reviews.link(caseId, otherPerson);
    assertEquals(422, notCandidate.statusCode(), "a person not among the candidates needs confirmation: "
        + notCandidate.body());
    assertEquals("OPEN", json(reviews.show(caseId, false)).get("status").asString(), "the refusals changed nothing");

    HttpResponse<String> confirmed = reviews.resolve(caseId,
        "{\"action\":\"link\",\"personId\":\"" + otherPerson + "\",\"confirm\":true}");
    assertEquals(200, confirmed.statusCode(), confirmed.body());
    assertEquals("LINK:" + otherPerson, json(confirmed).get("resolution").asString());
    assertEquals(MatchingEhrPatientIndex.ehrPersonId(TENANT, demoMrn),
        json(confirmed).get("candidates").get(0).get("personId").asString());
  }
}
