package io.telebridge.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.telebridge.core.context.ChartAccessDenied;
import io.telebridge.core.context.ChartWrite;
import io.telebridge.core.context.PatientNotInRecord;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.model.Identifier;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.json.PlatformEventReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FhirChartWriter} against a scripted FHIR server over real HTTP (the JDK's server): what each
 * answer becomes (4xx refused, 5xx and a missing Patient retried, 401 access denied), the Patient found
 * by the profile's MRN system, and HealthLake's idempotency key — the same for the same event.
 */
class FhirChartWriterTest {

  private static final String PATIENT_BUNDLE = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":"
      + "[{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"}}]}";
  private static final String EMPTY_BUNDLE = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}";
  private static final String CREATED = "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":["
      + "{\"response\":{\"status\":\"201 Created\",\"location\":\"Encounter/1/_history/1\"}},"
      + "{\"response\":{\"status\":\"201 Created\",\"location\":\"ChargeItem/2/_history/1\"}}]}";

  private record Seen(String method, String uri, String idempotencyKey, String ifNoneExist, String body) {}

  private record Answer(int status, String body, String location) {
    Answer(int status, String body) {
      this(status, body, null);
    }
  }

  private HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
  }

  private String serve(Function<Seen, Answer> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fhir", x -> {
      Seen s = new Seen(x.getRequestMethod(), x.getRequestURI().toString(),
          x.getRequestHeaders().getFirst(FhirChartWriter.IDEMPOTENCY_HEADER), x.getRequestHeaders().getFirst("If-None-Exist"),
          new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      seen.add(s);
      Answer a = script.apply(s);
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/fhir+json");
      if (a.status() == 429) {
        x.getResponseHeaders().add("Retry-After", "2"); // HealthLake's quota: come back in 2 s
      }
      if (a.location() != null) {
        x.getResponseHeaders().add("Location", a.location());
      }
      x.sendResponseHeaders(a.status(), body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static VisitRecordProfile profile(boolean healthLake) {
    VisitRecordProfile p = EhrProfile.named("generic-epic-like-fhir").visitRecordProfile();
    return new VisitRecordProfile(p.mrnAuthority(), p.patientIdentifierSystem(), p.platformAuthority(),
        p.platformIdentifierSystem(), p.documentTypes(), p.defaultDocumentType(), p.orderCodes(),
        p.passThroughSystems(), p.placeOfService(), p.telehealthModifier(), p.chargeModifiers(),
        healthLake ? 160 : p.maxBundleEntries(), p.maxInlineAttachmentBytes(), healthLake);
  }

  private static VisitRecord charges(List<Identifier> ids) throws IOException {
    return charges("demo-clinic", ids);
  }

  private static VisitRecord charges(String tenant, List<Identifier> ids) throws IOException {
    String json = Files.readString(Path.of("../../events/visit.charges_posted.json"));
    return VisitRecord.of(new PlatformEventReader().read(json.replace("\"tenant\": \"demo-clinic\"",
        "\"tenant\": \"" + tenant + "\"")), ids);
  }

  private final List<java.time.Duration> pauses = new CopyOnWriteArrayList<>();

  /** A writer whose backoff records its pauses instead of sleeping. */
  private FhirChartWriter recordingWriter(String base) {
    return new FhirChartWriter(FhirContexts.r4(), base, profile(true), null, 100,
        new FhirRetry(3, java.time.Duration.ofMillis(200), pauses::add), java.time.Clock.systemUTC());
  }

  @Test
  void aQuotaAnswer429IsSentAgainAfterItsRetryAfterAndTheWriteSucceeds() throws IOException {
    java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
    String base = serve(s -> s.method().equals("GET") ? new Answer(200, PATIENT_BUNDLE)
        : posts.incrementAndGet() == 1 ? new Answer(429, "{\"__type\":\"ThrottlingException\"}")
        : new Answer(200, CREATED));
    ChartWrite w = recordingWriter(base).write(charges(WITH_MRN));
    assertEquals(2, w.created());
    assertEquals(List.of(java.time.Duration.ofSeconds(2)), pauses, "Retry-After honoured");
    List<String> keys = seen.stream().filter(s -> s.method().equals("POST")).map(Seen::idempotencyKey).toList();
    assertEquals(2, keys.size());
    assertEquals(keys.get(0), keys.get(1), "the same idempotency key: HealthLake stores it once");
  }

  @Test
  void aQuotaThatDoesNotRecoverEndsTransientAfterTheAttempts() throws IOException {
    String base = serve(s -> new Answer(429, "{}"));
    TransientException t = assertThrows(TransientException.class, () -> recordingWriter(base).write(charges(WITH_MRN)));
    assertTrue(t.getMessage().contains("429"), t.getMessage());
    assertEquals(3, seen.size());
    assertEquals(2, pauses.size());
  }

  @Test
  void thePatientsFhirIdIsKeptPerTenantAndReused() throws IOException {
    String base = serve(s -> transactionAnswers(s, new Answer(200, CREATED)));
    FhirChartWriter writer = recordingWriter(base);
    writer.write(charges(WITH_MRN));
    writer.write(charges(WITH_MRN));
    assertEquals(1, seen.stream().filter(s -> s.method().equals("GET") && s.uri().contains("/Patient?")).count(), "the second write reuses the id");
    writer.write(charges("north-clinic", WITH_MRN));
    assertEquals(2, seen.stream().filter(s -> s.method().equals("GET") && s.uri().contains("/Patient?")).count(),
        "another tenant's same MRN is its own cross-reference");
    assertEquals(2, writer.keptPatientIds());
  }

  @Test
  void aWriteThatFailsAfterUsingAKeptIdDropsIt() throws IOException {
    java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
    String base = serve(s -> s.method().equals("GET") ? new Answer(200, PATIENT_BUNDLE)
        : posts.incrementAndGet() == 2 ? new Answer(404, "{}") : new Answer(200, CREATED));
    FhirChartWriter writer = recordingWriter(base);
    writer.write(charges(WITH_MRN));
    assertThrows(RejectedException.class, () -> writer.write(charges(WITH_MRN)));
    assertEquals(0, writer.keptPatientIds());
    writer.write(charges(WITH_MRN));
    assertEquals(2, seen.stream().filter(s -> s.method().equals("GET") && s.uri().contains("/Patient?")).count(), "searched again");
  }

  private static final List<Identifier> WITH_MRN = List.of(new Identifier("E1001", "EPI", "MR"),
      new Identifier("pat-1001", "TELEHEALTH", "PI"));

  private static Answer transactionAnswers(Seen s, Answer transaction) {
    return s.method().equals("GET") ? new Answer(200, PATIENT_BUNDLE) : transaction;
  }

  @Test
  void findsThePatientByTheProfilesMrnSystemAndPostsOneTransaction() throws IOException {
    String base = serve(s -> transactionAnswers(s, new Answer(200, CREATED)));
    ChartWrite w = new FhirChartWriter(FhirContexts.r4(), base, profile(false), null).write(charges(WITH_MRN));
    assertEquals(3, seen.size());
    // one search by every identifier known: the MRN under the profile's system, the platform id under the tenant's
    assertTrue(seen.get(0).uri().contains("identifier=urn%3Aoid%3A1.2.840.99999.1%7CE1001,"
        + "urn%3Atelebridge%3Ademo-clinic%3Apatient%7Cpat-1001"), seen.get(0).uri());
    assertTrue(seen.get(1).uri().startsWith("/fhir/Encounter?identifier=urn%3Atelebridge%3Ademo-clinic%3Avisit%7Cvis-2001"),
        seen.get(1).uri());
    assertEquals("POST", seen.get(2).method());
    assertTrue(seen.get(2).body().contains("\"reference\":\"Patient/p1\""));
    assertNull(seen.get(2).idempotencyKey(), "only for HealthLake");
    assertEquals(List.of("Encounter/1/_history/1", "ChargeItem/2/_history/1"), w.locations());
    assertEquals(2, w.created());
    assertEquals(3, w.requests());
  }

  @Test
  void healthLakeGetsTheSameIdempotencyKeyForTheSameEvent() throws IOException {
    String base = serve(s -> transactionAnswers(s, new Answer(200, CREATED)));
    FhirChartWriter writer = new FhirChartWriter(FhirContexts.r4(), base, profile(true), null);
    writer.write(charges(WITH_MRN));
    writer.write(charges(WITH_MRN));
    List<String> keys = seen.stream().filter(s -> s.method().equals("POST")).map(Seen::idempotencyKey).toList();
    assertEquals(2, keys.size());
    assertEquals(40, keys.get(0).length());
    assertEquals(keys.get(0), keys.get(1));
  }

  @Test
  void aServerErrorIsRetriedAndAClientErrorRefusedWithItsIssueCodesButNotItsText() throws IOException {
    String base = serve(s -> transactionAnswers(s, s.uri().contains("fail5") ? new Answer(503, "{}")
        : new Answer(422, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
            + "\"code\":\"processing\",\"diagnostics\":\"Patient Seán O'Connell-Reyes is invalid\"}]}")));
    FhirChartWriter refused = new FhirChartWriter(FhirContexts.r4(), base, profile(false), null);
    RejectedException r = assertThrows(RejectedException.class, () -> refused.write(charges(WITH_MRN)));
    assertFalse(r instanceof ChartAccessDenied);
    assertTrue(r.getMessage().contains("422") && r.getMessage().contains("error/processing"), r.getMessage());
    assertFalse(r.getMessage().contains("Seán"), "no server text (it may echo patient data)");

    FhirChartWriter failing = new FhirChartWriter(FhirContexts.r4(), base + "/fail5", profile(false), null);
    TransientException t = assertThrows(TransientException.class, () -> failing.write(charges(WITH_MRN)));
    assertTrue(t.getMessage().contains("503"), t.getMessage());
  }

  @Test
  void aPatientNotInTheRecordYetIsRetriedAndRefusedCredentialsAreAccessDenied() throws IOException {
    String base = serve(s -> s.uri().contains("denied") ? new Answer(401, "{}") : new Answer(200, EMPTY_BUNDLE));
    TransientException t = assertThrows(TransientException.class,
        () -> new FhirChartWriter(FhirContexts.r4(), base, profile(false), null).write(charges(WITH_MRN)));
    assertTrue(t.getMessage().contains("no FHIR Patient"), t.getMessage());
    assertEquals(1, seen.size(), "nothing written");
    assertInstanceOf(ChartAccessDenied.class, assertThrows(RejectedException.class,
        () -> new FhirChartWriter(FhirContexts.r4(), base + "/denied", profile(false), null).write(charges(WITH_MRN))));
  }

  @Test
  void withoutAnMrnThePatientIsSearchedByTheTenantsTelebridgeIdAndNotFoundIsPatientNotInRecord() throws IOException {
    String base = serve(s -> s.method().equals("GET") ? new Answer(200, EMPTY_BUNDLE) : new Answer(500, "{}"));
    PatientNotInRecord e = assertThrows(PatientNotInRecord.class, () -> new FhirChartWriter(FhirContexts.r4(), base,
        profile(false), null).write(charges(List.of(new Identifier("pat-1001", "TELEHEALTH", "PI")))));
    assertTrue(e.getMessage().startsWith(PatientNotInRecord.REASON), e.getMessage());
    assertEquals(1, seen.size(), "one search, nothing written, no Patient created (FIND: the EHR registers patients)");
    assertTrue(seen.get(0).uri().contains("identifier=urn%3Atelebridge%3Ademo-clinic%3Apatient%7Cpat-1001&"),
        seen.get(0).uri());
  }

  @Test
  void withTheCreatePolicyAPatientNotInTheRecordIsCreatedConditionallyAndTheVisitWrittenOnIt() throws IOException {
    String base = serve(s -> {
      if (s.method().equals("GET")) {
        return new Answer(200, EMPTY_BUNDLE);
      }
      if (s.uri().startsWith("/fhir/Patient")) {
        return new Answer(201, "{\"resourceType\":\"Patient\",\"id\":\"new7\",\"meta\":{\"versionId\":\"1\"}}",
            base() + "/Patient/new7/_history/1");
      }
      return new Answer(200, CREATED);
    });
    new FhirChartWriter(FhirContexts.r4(), base, profile(false).withPatients(VisitRecordProfile.PatientPolicy.CREATE),
        null).write(charges(WITH_MRN));
    Seen create = seen.stream().filter(s -> s.uri().startsWith("/fhir/Patient") && s.method().equals("POST"))
        .findFirst().orElseThrow();
    assertTrue(create.ifNoneExist().contains("urn%3Atelebridge%3Ademo-clinic%3Apatient%7Cpat-1001"), create.ifNoneExist());
    assertTrue(create.body().contains("\"value\":\"E1001\"") && create.body().contains("created-by-telebridge"),
        create.body());
    assertFalse(create.body().contains("\"name\""), "identifiers only: no demographics");
    Seen transaction = seen.getLast();
    assertTrue(transaction.uri().startsWith("/fhir?") && transaction.method().equals("POST"), transaction.uri());
    assertTrue(transaction.body().contains("\"reference\":\"Patient/new7\""), transaction.body());
  }

  @Test
  void theStoredEncounterIsUpdatedOnTheVersionReadAndAConflictIsRetried() throws IOException {
    String stored = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":"
        + "{\"resourceType\":\"Encounter\",\"id\":\"9\",\"meta\":{\"versionId\":\"4\"},\"status\":\"finished\","
        + "\"subject\":{\"reference\":\"Patient/p1\"}}}]}";
    String base = serve(s -> s.method().equals("GET") ? new Answer(200, s.uri().contains("/Encounter") ? stored
        : PATIENT_BUNDLE) : new Answer(412, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
        + "\"code\":\"conflict\"}]}"));
    TransientException t = assertThrows(TransientException.class,
        () -> new FhirChartWriter(FhirContexts.r4(), base, profile(false), null).write(charges(WITH_MRN)));
    assertTrue(t.getMessage().contains("412"), t.getMessage());
    String body = seen.getLast().body();
    assertTrue(body.contains("\"url\":\"Encounter/9\"") && body.contains("\"ifMatch\":\"W/\\\"4\\\"\""), body);
    assertTrue(body.contains("\"reference\":\"Encounter/9\""), "the ChargeItem's context is the stored Encounter");
  }
}
