package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.matching.mpi.MatcherWiring;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.Phone;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.matching.mpi.MatchingEhrPatientIndex;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.ReviewCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Every incoming patient goes through the matcher, end to end on the local stack (webhook → intake →
 * translator with the identity table on moto → to-EHR FIFO on ElasticMQ): LINK to a chart the EHR
 * already has, NEW registration, REVIEW parks the events, and concurrent registrations of one new
 * person register it once. All demographics are invented.
 */
class PatientMatchingIT {

  private static final String TENANT = "demo-clinic";
  private static final String EHR_AUTHORITY = "EPI";

  private static LocalStack stack;
  private static String toEhr;
  private static String table;
  private static final PlatformEventReader READER = new PlatformEventReader();
  private static final Map<String, List<Message>> BY_GROUP = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")));
    toEhr = stack.queueUrl("ToEhrQueue");
    table = stack.tableName("IdentityTable");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static void send(byte[] body) throws Exception {
    assertEquals(202, Signed.post(stack.apiUrl("/v1/events"), stack.devSigningSecret(), body).statusCode());
  }

  private static synchronized List<Message> receive(String group, int expected, Duration within) {
    String key = group;
    Instant deadline = Instant.now().plus(within);
    while (BY_GROUP.getOrDefault(key, List.of()).size() < expected && Instant.now().isBefore(deadline)) {
      for (Message m : stack.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(toEhr)
          .maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All").build()).messages()) {
        String g = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
        BY_GROUP.computeIfAbsent(g, k -> new CopyOnWriteArrayList<>()).add(m);
        stack.sqs().deleteMessage(b -> b.queueUrl(toEhr).receiptHandle(m.receiptHandle()));
      }
    }
    return List.copyOf(BY_GROUP.getOrDefault(key, List.of()));
  }

  private static String type(Message m) {
    return m.messageAttributes().get("messageType").stringValue();
  }

  private static String pid(Message m) {
    for (String s : m.body().split("\r")) {
      if (s.startsWith("PID|")) {
        return s;
      }
    }
    return "";
  }

  private static PatientDemographics demographicsOf(byte[] event) {
    return READER.read(new String(event, StandardCharsets.UTF_8)).patient();
  }

  private static EhrPatientIndex ehrIndex() {
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), table);
    return MatcherWiring.ehrPatientIndex(store, store.candidateIndex());
  }

  @Test
  void aPatientTheEhrAlreadyHasIsLinkedToItsChartAndNotRegisteredAgain() throws Exception {
    byte[] booking = Signed.event("appointment.booked.json", "evt-mi-link-1", "pat-mi-link");
    PatientDemographics d = demographicsOf(booking);
    // the EHR's chart: same person, typed differently (no platform id, phone formatted, no email)
    PatientDemographics chart = new PatientDemographics(null, d.name(), d.birthDate(), d.sex(),
        List.of(new Phone("home", d.phones().get(0).number().replace("+1", ""))), null, d.address(), d.ssnLast4());
    ehrIndex().upsert(TENANT, new EhrPatient(List.of(new Identifier("MRN-LINK-1", EHR_AUTHORITY, "MR")), chart));

    send(booking);
    List<Message> out = receive(TENANT + ":pat-mi-link", 1, Duration.ofSeconds(20));
    assertEquals(List.of("SIU^S12"), out.stream().map(PatientMatchingIT::type).toList(), "no second registration");
    assertTrue(pid(out.get(0)).contains("MRN-LINK-1"), "PID-3 carries the chart's MRN");
    assertTrue(pid(out.get(0)).contains("pat-mi-link"), "and the platform id");
    assertEquals(List.of("pat-mi-link"),
        ehrIndex().platformPatientsOf(TENANT, new Identifier("MRN-LINK-1", EHR_AUTHORITY, "MR")));
  }

  @Test
  void aRegistrationForAPatientWhoAlreadyHasAChartUpdatesTheChartInsteadOfRegisteringItAgain() throws Exception {
    byte[] registration = Signed.event("patient.registered.json", "evt-mi-known-1", "pat-mi-known");
    PatientDemographics d = demographicsOf(registration);
    PatientDemographics chart = new PatientDemographics(null, d.name(), d.birthDate(), d.sex(), d.phones(), null,
        d.address(), d.ssnLast4());
    ehrIndex().upsert(TENANT, new EhrPatient(List.of(new Identifier("MRN-KNOWN-1", EHR_AUTHORITY, "MR")), chart));

    send(registration);
    List<Message> out = receive(TENANT + ":pat-mi-known", 1, Duration.ofSeconds(20));
    assertEquals(List.of("ADT^A08"), out.stream().map(PatientMatchingIT::type).toList(),
        "the profile's update message, not a second ADT^A04 for the same chart");
    assertTrue(pid(out.get(0)).contains("MRN-KNOWN-1"), "PID-3 carries the chart's MRN");
  }

  @Test
  void aSecondRegistrationOfAPatientTelebridgeRegisteredIsAnUpdate() throws Exception {
    send(Signed.event("patient.registered.json", "evt-mi-again-1", "pat-mi-again"));
    assertEquals(List.of("ADT^A04"),
        receive(TENANT + ":pat-mi-again", 1, Duration.ofSeconds(20)).stream().map(PatientMatchingIT::type).toList());
    send(Signed.event("patient.registered.json", "evt-mi-again-2", "pat-mi-again"));
    assertEquals(List.of("ADT^A04", "ADT^A08"),
        receive(TENANT + ":pat-mi-again", 2, Duration.ofSeconds(20)).stream().map(PatientMatchingIT::type).toList());
  }

  @Test
  void chartsBulkLoadedFromFhirNdjsonAndCsvAreLinkedOnFirstBooking(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    byte[] fhirBooking = Signed.event("appointment.booked.json", "evt-mi-bulk-1", "pat-mi-bulk1");
    PatientDemographics f = demographicsOf(fhirBooking);
    String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:oid:1.2.840.99999.1\","
        + "\"value\":\"MRN-BULK-1\",\"type\":{\"coding\":[{\"code\":\"MR\"}]}}],\"name\":[{\"family\":\""
        + f.name().family() + "\",\"given\":[\"" + f.name().given().get(0) + "\"]}],\"gender\":\"male\",\"birthDate\":\""
        + f.birthDate() + "\",\"telecom\":[{\"system\":\"phone\",\"value\":\"" + f.phones().get(0).number() + "\"}],"
        + "\"address\":[{\"line\":[\"" + f.address().lines().get(0) + "\"],\"city\":\"" + f.address().city()
        + "\",\"state\":\"" + f.address().state() + "\",\"postalCode\":\"" + f.address().postalCode() + "\"}]}";
    java.nio.file.Path ndjson = tmp.resolve("patients.ndjson");
    java.nio.file.Files.writeString(ndjson, "\n" + patient + "\n");
    byte[] csvBooking = Signed.event("appointment.booked.json", "evt-mi-bulk-2", "pat-mi-bulk2");
    PatientDemographics c = demographicsOf(csvBooking);
    java.nio.file.Path csv = tmp.resolve("patients.csv");
    java.nio.file.Files.writeString(csv, "mrn, given_name, surname, street_number, address_1, address_2, suburb, postcode,"
        + " state, date_of_birth, soc_sec_id, phone\n"
        + "MRN-BULK-2, " + c.name().given().get(0) + ", " + c.name().family() + ", "
        + c.address().lines().get(0).replaceAll(" .*", "") + ", " + c.address().lines().get(0).replaceAll("^\\S+ ", "")
        + ", , " + c.address().city() + ", " + c.address().postalCode() + ", " + c.address().state() + ", "
        + c.birthDate().toString().replace("-", "") + ", , " + c.phones().get(0).number() + "\n");

    for (String[] args : List.of(
        new String[] {ndjson.toString(), "--system", "urn:oid:1.2.840.99999.1=" + EHR_AUTHORITY},
        new String[] {csv.toString(), "--authority", EHR_AUTHORITY})) {
      List<String> a = new ArrayList<>(List.of(args));
      a.addAll(List.of("--tenant", TENANT, "--endpoint", stack.motoEndpoint().toString(), "--table", table));
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      assertEquals(0, io.telebridge.local.LoadPatients.run(a, new java.io.PrintStream(printed), System.err));
      assertTrue(printed.toString().startsWith("loaded 1 charts"), printed.toString());
      assertFalse(printed.toString().contains(f.name().family()), "counts only");
    }
    send(fhirBooking);
    send(csvBooking);
    List<Message> fromFhir = receive(TENANT + ":pat-mi-bulk1", 1, Duration.ofSeconds(20));
    List<Message> fromCsv = receive(TENANT + ":pat-mi-bulk2", 1, Duration.ofSeconds(20));
    assertEquals(List.of("SIU^S12"), fromFhir.stream().map(PatientMatchingIT::type).toList());
    assertTrue(pid(fromFhir.get(0)).contains("MRN-BULK-1"));
    assertEquals(List.of("SIU^S12"), fromCsv.stream().map(PatientMatchingIT::type).toList());
    assertTrue(pid(fromCsv.get(0)).contains("MRN-BULK-2"));
  }

  @Test
  void aNewPersonIsRegisteredBeforeTheBooking() throws Exception {
    send(Signed.event("appointment.booked.json", "evt-mi-new-1", "pat-mi-new"));
    List<Message> out = receive(TENANT + ":pat-mi-new", 2, Duration.ofSeconds(20));
    assertEquals(List.of("ADT^A04", "SIU^S12"), out.stream().map(PatientMatchingIT::type).toList());
    CrossReference xref = new DynamoDbIdentityStore(stack.adapterDynamoDb(), table).xref(TENANT, "pat-mi-new").orElseThrow();
    assertEquals(MatchingPatientResolver.registeredPersonId(TENANT, "pat-mi-new"), xref.personId());
    assertEquals("evt-mi-new-1", xref.registeredByEvent());
  }

  @Test
  void aPossibleMatchIsParkedWithItsLaterEventsAndVisibleToOps() throws Exception {
    byte[] booking = Signed.event("appointment.booked.json", "evt-mi-rev-1", "pat-mi-rev");
    PatientDemographics d = demographicsOf(booking);
    // only name and birth date agree: elsewhere, other phone, no email, other SSN-4
    PatientDemographics namesake = new PatientDemographics(null, d.name(), d.birthDate(), d.sex(),
        List.of(new Phone("mobile", "+13125550777")), null,
        new Address(List.of("900 Harbor Road"), "Gloucester", "MA", "01930", "US"), "9911");
    Identifier mrn = new Identifier("MRN-REV-1", EHR_AUTHORITY, "MR");
    ehrIndex().upsert(TENANT, new EhrPatient(List.of(mrn), namesake));

    send(booking);
    send(Signed.event("appointment.rescheduled.json", "evt-mi-rev-2", "pat-mi-rev"));
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), table);
    Instant deadline = Instant.now().plusSeconds(20);
    List<ParkedEvent> parked = List.of();
    String caseId = null;
    while (Instant.now().isBefore(deadline) && parked.size() < 2) {
      var x = store.xref(TENANT, "pat-mi-rev");
      if (x.isPresent()) {
        caseId = x.get().reviewCaseId();
        parked = store.parked(TENANT, caseId);
      }
      Thread.sleep(200);
    }
    assertEquals(List.of("evt-mi-rev-1", "evt-mi-rev-2"), parked.stream().map(ParkedEvent::eventId).toList());
    assertEquals(CrossReference.State.PARKED, store.xref(TENANT, "pat-mi-rev").orElseThrow().state());
    String id = caseId;
    ReviewCase open = store.openCases(TENANT).stream().filter(c -> c.caseId().equals(id)).findFirst().orElseThrow();
    assertEquals(MatchingEhrPatientIndex.ehrPersonId(TENANT, mrn), open.candidates().get(0).personId());
    assertFalse(open.explanation().contains(d.name().family()), "the case holds ids, scores and field names only");
    assertTrue(receive(TENANT + ":pat-mi-rev", 1, Duration.ofSeconds(3)).isEmpty(), "nothing guessed, nothing sent");
  }

  @Test
  void twoConcurrentBookingsForOneNewPersonYieldOneRegistration() throws Exception {
    byte[] first = Signed.event("appointment.booked.json", "evt-mi-cc-1", "pat-mi-cc1", "person-mi-cc");
    byte[] second = Signed.event("appointment.booked.json", "evt-mi-cc-2", "pat-mi-cc2", "person-mi-cc");
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<?>> posts = new ArrayList<>();
      for (byte[] body : List.of(first, second)) {
        posts.add(pool.submit(() -> {
          go.await();
          send(body);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : posts) {
        f.get();
      }
    }
    List<Message> a = receive(TENANT + ":pat-mi-cc1", 1, Duration.ofSeconds(20));
    List<Message> b = receive(TENANT + ":pat-mi-cc2", 1, Duration.ofSeconds(20));
    receive(TENANT + ":none", 1, Duration.ofSeconds(2)); // let a stray second registration arrive if there were one
    List<String> types = new ArrayList<>();
    BY_GROUP.getOrDefault(TENANT + ":pat-mi-cc1", List.of()).forEach(m -> types.add(type(m)));
    BY_GROUP.getOrDefault(TENANT + ":pat-mi-cc2", List.of()).forEach(m -> types.add(type(m)));
    assertEquals(1, types.stream().filter("ADT^A04"::equals).count(), "one registration: " + types);
    assertEquals(2, types.stream().filter("SIU^S12"::equals).count(), "both bookings: " + types);
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), table);
    assertEquals(store.xref(TENANT, "pat-mi-cc1").orElseThrow().personId(),
        store.xref(TENANT, "pat-mi-cc2").orElseThrow().personId());
    assertFalse(a.isEmpty() || b.isEmpty());
  }

  /** Real concurrency on the table: two resolvers race, the registration claim lets one win. */
  @Test
  void racingResolversOnTheIdentityTableCreateOnePerson() throws Exception {
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), table);
    MatchingPatientResolver resolver = new MatchingPatientResolver(store, store.candidateIndex(), "TELEHEALTH",
        Clock.systemUTC());
    for (int r = 0; r < 5; r++) {
      int round = r;
      String person = "race-" + round;
      PatientDemographics p1 = demographicsOf(Signed.event("appointment.booked.json", "e", "pat-race-a" + round, person));
      PatientDemographics p2 = demographicsOf(Signed.event("appointment.booked.json", "e", "pat-race-b" + round, person));
      CountDownLatch go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        Future<Resolution> a = pool.submit(() -> {
          go.await();
          return resolver.resolve(new ResolveRequest("race-tenant", p1, "evt-ra" + round, "{}", null));
        });
        Future<Resolution> b = pool.submit(() -> {
          go.await();
          return resolver.resolve(new ResolveRequest("race-tenant", p2, "evt-rb" + round, "{}", null));
        });
        go.countDown();
        int registrations = (a.get().newPatient() ? 1 : 0) + (b.get().newPatient() ? 1 : 0);
        assertEquals(1, registrations, "round " + round);
      }
      assertEquals(store.xref("race-tenant", "pat-race-a" + round).orElseThrow().personId(),
          store.xref("race-tenant", "pat-race-b" + round).orElseThrow().personId(), "round " + round);
    }
  }
}
