package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.context.Chart;
import io.telebridge.core.context.ChartQuery;
import io.telebridge.core.context.FhirSource;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.fhir.FhirChartReader;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.FhirSources;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.aws.DevSecrets;
import io.telebridge.local.fhir.LocalFhir;
import io.telebridge.local.fhirserver.FhirServer;
import io.telebridge.local.fhirserver.SyntheticCharts;
import io.telebridge.local.http.SigV4Verifier;
import io.telebridge.matching.mpi.MatcherWiring;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One FHIR source per EHR profile, both directions, on the local stack (real HTTP doors, the HAPI FHIR JPA
 * server, moto's Secrets Manager, ElasticMQ): demo-clinic's profile names no source, so it is on the
 * deployment's default — the "HealthLake" door, SigV4 with the function's credentials; north-clinic's profile
 * names its own — the EHR door with SMART Backend Services (the client key's secret in moto, the stand-in token
 * endpoint). The same chart (MRN 100234) answers both tenants' context requests, each through its own door;
 * both tenants' signed notes land in the record through their own doors, the SMART one with a token.
 * Then the "HealthLake" door's quota (1 request a second): a reader backs off on its 429 and
 * {@code Retry-After}, and still reads the chart.
 */
class TwoFhirSourcesIT {

  private static final String DEMO = TenantIsolationIT.DEMO;
  private static final String NORTH = TenantIsolationIT.NORTH;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static LocalStack stack;
  private static LocalFhir fhir;
  private static IGenericClient direct;

  /** north-clinic's profile: the FHIR sample profile with its own platform authority and FHIR source. */
  static Path northProfile(int doorPort, String keySecret) throws IOException {
    String generic = Files.readString(Signed.REPO.resolve(
        "shared/hl7v2/src/main/resources/ehr-profiles/generic-epic-like-fhir.yaml"));
    String door = "http://127.0.0.1:" + doorPort;
    String north = generic.replace("id: generic-epic-like-fhir", "id: north-fhir-source")
        .replace("platform: {namespaceId: TELEHEALTH, typeCode: PI}", "platform: {namespaceId: NORTHPLAT, typeCode: PI}")
        .replace("receivingFacility: {namespaceId: MAIN_CLINIC}", "receivingFacility: {namespaceId: NORTH_HOSP}")
        .replace("\nfhir:\n", "\nfhir:\n  source:\n    baseUrl: " + door + "/ehr/r4\n    auth: smart\n"
            + "    smart: {clientId: " + LocalFhir.CLIENT_ID + ", tokenUrl: \"" + door + "/oauth2/token\", "
            + "keySecretArn: \"" + keySecret + "\", scopes: v2}\n    pageSize: 50\n");
    assertTrue(north.contains("NORTHPLAT") && north.contains("NORTH_HOSP") && north.contains("/ehr/r4"),
        "the sample profile changed shape");
    Path file = Files.createTempDirectory("tb-two-sources").resolve("north-fhir-source.yaml");
    Files.writeString(file, north);
    return file;
  }

  @BeforeAll
  static void start() throws Exception {
    FhirServer server = FhirServer.shared();
    direct = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    for (SyntheticCharts.Chart chart : SyntheticCharts.samples(Instant.now())) {
      chart.writeIfAbsent(direct);
    }
    int doorPort;
    try (ServerSocket s = new ServerSocket(0)) {
      doorPort = s.getLocalPort();
    }
    LocalStackOptions options = LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml"))
        .runFhir(true).fhirPort(doorPort).fhirUpstream(server.baseUrl());
    // the SMART client's key: the development key the local stack stores in moto for FhirSmartKeySecretArn, named
    // by north's profile (Secrets Manager takes a secret's name where it takes its ARN)
    String keySecret = DevSecrets.secretName(options.stackName(), "FhirSmartKeySecretArn");
    options.parameter("Tenants", "{\"" + DEMO + "\": {\"ehrProfile\": \"generic-epic-like-fhir\", \"ehrFacilities\":"
        + " [\"MAIN_CLINIC\"]}, \"" + NORTH + "\": {\"ehrProfile\": \"" + northProfile(doorPort, keySecret)
        + "\", \"ehrFacilities\": [\"NORTH_HOSP\"]}}");
    options.parameter("ContextCacheSeconds", "0");
    options.secretValue("WebhookSecretArn", TenantIsolationIT.webhookSecrets(options.devSigningSecret()));
    stack = LocalStack.start(options);
    fhir = stack.fhir();
    fhir.awaitFhirServer(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static String secretOf(String tenant) {
    return tenant.equals(DEMO) ? stack.devSigningSecret() : TenantIsolationIT.NORTH_SECRET;
  }

  /** The EHR knows the patient under MRN 100234 (the seeded chart): the registration links it. */
  private static void link(String tenant, String patient) throws Exception {
    byte[] registration = TenantIsolationIT.event("patient.registered.json", tenant, "evt-2src-" + tenant, patient,
        patient);
    PatientDemographics d = new PlatformEventReader().read(new String(registration, StandardCharsets.UTF_8)).patient();
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), stack.tableName("IdentityTable"));
    EhrPatientIndex index = MatcherWiring.ehrPatientIndex(store, store.candidateIndex());
    index.upsert(tenant, new EhrPatient(List.of(new Identifier("100234", "EPI", "MR")),
        new PatientDemographics(null, d.name(), d.birthDate(), d.sex(), d.phones(), null, d.address(), d.ssnLast4())));
    send(tenant, registration);
  }

  private static void send(String tenant, byte[] body) throws Exception {
    int status = 0;
    for (int attempt = 0; attempt < 3 && (status == 0 || status >= 500); attempt++) {
      status = Signed.post(stack.apiUrl("/v1/events"), secretOf(tenant), body).statusCode();
    }
    assertEquals(202, status);
  }

  /** The tenant's context of the patient, on demand, once the registration has linked it. */
  private static JsonNode context(String tenant, String patient) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      HttpResponse<String> r = Signed.post(stack.apiUrl("/v1/context-requests"), secretOf(tenant),
          ("{\"tenant\":\"" + tenant + "\",\"patientId\":\"" + patient + "\"}").getBytes(StandardCharsets.UTF_8));
      if (r.statusCode() == 200) {
        return JSON.readTree(r.body());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(tenant + ": no context, last answer " + r.statusCode() + " " + r.body());
      }
      Thread.sleep(500);
    }
  }

  @Test
  void eachTenantReadsAndWritesThroughItsOwnSource() throws Exception {
    link(DEMO, "pat-2src-1");
    link(NORTH, "pat-2src-1");
    int tokensBefore = fhir.doors().tokensIssued.get();

    JsonNode demo = context(DEMO, "pat-2src-1");
    JsonNode north = context(NORTH, "pat-2src-1");
    JsonNode demoProvenance = demo.path("provenance");
    JsonNode northProvenance = north.path("provenance");
    assertEquals("healthlake", demoProvenance.path("source").asString(), demoProvenance.toString());
    assertTrue(demoProvenance.toString().contains("/datastore/" + io.telebridge.local.fhir.FhirDoors.DATASTORE),
        demoProvenance.toString());
    assertEquals("ehr-fhir", northProvenance.path("source").asString(), northProvenance.toString());
    assertTrue(northProvenance.toString().contains("/ehr/r4"), northProvenance.toString());
    assertEquals("pt100234", demoProvenance.path("patientFhirId").asString(), demoProvenance.toString());
    assertEquals("pt100234", northProvenance.path("patientFhirId").asString(), northProvenance.toString());
    assertTrue(demo.path("problems").size() > 0 && north.path("problems").size() > 0, "the same chart both ways");
    assertEquals(demo.path("problems").size(), north.path("problems").size());
    assertTrue(fhir.doors().tokensIssued.get() > tokensBefore, "north's reads got a SMART token");

    // the writes: each tenant's note through its own door (north's with a SMART token of write scopes)
    int tokensBeforeWrites = fhir.doors().tokensIssued.get();
    send(DEMO, note(DEMO, "evt-2src-note-d"));
    send(NORTH, note(NORTH, "evt-2src-note-n"));
    for (String tenant : List.of(DEMO, NORTH)) {
      List<DocumentReference> notes = awaitNotes(tenant);
      assertEquals(1, notes.size(), tenant + ": one note");
      assertEquals("Patient/pt100234", notes.getFirst().getSubject().getReference(), tenant);
    }
    assertTrue(fhir.doors().tokensIssued.get() > tokensBeforeWrites, "the writes asked a token of their own scopes");
    assertTrue(fhir.doors().refusals.stream().noneMatch(r -> r.startsWith("sigv4") || r.startsWith("token")),
        fhir.doors().refusals::toString);
    assertEquals(0, EhrSide.depth(stack, "IntakeDeadLetterQueue"));
  }

  /** The FHIR server is shared by the ITs of this JVM: this class's visit and note ids are its own. */
  private static final String RUN = Long.toString(System.nanoTime() & 0xffffffL, 36);

  private static byte[] note(String tenant, String eventId) throws IOException {
    String body = new String(TenantIsolationIT.event("visit.note_signed.json", tenant, eventId, "pat-2src-1",
        "pat-2src-1"), StandardCharsets.UTF_8);
    return body.replace("\"vis-2001\"", "\"vis-2src-" + RUN + "\"").replace("\"note-4001\"", "\"note-2src-" + RUN + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static List<DocumentReference> awaitNotes(String tenant) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Bundle b = direct.search().byUrl("DocumentReference?identifier=urn:telebridge:" + tenant + ":note|note-2src-" + RUN)
          .returnBundle(Bundle.class).cacheControl(new CacheControlDirective().setNoCache(true)).execute();
      if (!b.getEntry().isEmpty() || System.nanoTime() > deadline) {
        return b.getEntry().stream().map(e -> (DocumentReference) e.getResource()).toList();
      }
      Thread.sleep(500);
    }
  }

  @Test
  void theHealthLakeDoorsQuotaAnswers429AndTheReaderBacksOffAsItSays() throws Exception {
    SigV4Verifier.Credentials c = LocalStack.localCredentials();
    FhirSources sources = new FhirSources(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKey(),
        c.secretKey())), "us-east-1", arn -> {
          throw new AssertionError("no secret for SigV4");
        }, HttpClient.newHttpClient(), Clock.systemUTC());
    FhirSource healthLake = new FhirSource(fhir.healthLakeBaseUrl(), FhirSource.Auth.HEALTHLAKE, null, 100,
        SyntheticCharts.MRN_SYSTEM, "EPI");
    FhirChartReader reader = (FhirChartReader) sources.reader(healthLake);
    ChartQuery query = new ChartQuery(DEMO, new Identifier("100234", "EPI", "MR"), SyntheticCharts.MRN_SYSTEM,
        Instant.now().minus(Duration.ofDays(365)), 50, true, 5);
    reader.read(query); // warm: the first read of a JVM is slow
    int throttledBefore = fhir.doors().throttled.get();
    int backoffsBefore = reader.backoffs();
    fhir.doors().quota(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      // three reads at once against a quota of one request a second: two are answered 429 (Retry-After 1) and
      // come back a second later, one after the other
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Chart>> reads = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        reads.add(pool.submit(() -> {
          go.await();
          return reader.read(query);
        }));
      }
      long started = System.nanoTime();
      go.countDown();
      for (java.util.concurrent.Future<Chart> r : reads) {
        assertEquals("pt100234", r.get(2, java.util.concurrent.TimeUnit.MINUTES).patient().fhirId());
      }
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      int throttled = fhir.doors().throttled.get() - throttledBefore;
      int backoffs = reader.backoffs() - backoffsBefore;
      assertTrue(throttled >= 1, "the door answered 429 " + throttled + " times");
      assertEquals(throttled, backoffs, "each 429 was backed off once");
      System.out.printf("TwoFhirSourcesIT figures: three concurrent chart reads under a 1/s quota: %d ms, %d answered "
          + "429, %d backoffs (Retry-After 1 s)%n", elapsedMillis, throttled, backoffs);
    } finally {
      pool.shutdownNow();
      fhir.doors().quota(0);
    }
  }
}
