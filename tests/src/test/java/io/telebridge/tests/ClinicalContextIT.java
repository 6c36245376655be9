package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.telebridge.core.context.Allergy;
import io.telebridge.core.context.AssembleContext;
import io.telebridge.core.context.ChartReader;
import io.telebridge.core.context.ClinicalResult;
import io.telebridge.core.context.ContextOutcome;
import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.context.ContextSources;
import io.telebridge.core.context.FhirProfile;
import io.telebridge.core.context.Medication;
import io.telebridge.core.context.PatientContext;
import io.telebridge.core.context.Problem;
import io.telebridge.core.context.Section;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.Code;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.Sex;
import io.telebridge.fhir.FhirChartReader;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.HealthLakeSigV4Auth;
import io.telebridge.fhir.SmartBackendAuth;
import io.telebridge.local.http.SigV4Verifier;
import io.telebridge.local.fhir.FhirDoors;
import io.telebridge.local.fhirserver.FhirServer;
import io.telebridge.local.fhirserver.SyntheticCharts;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The clinical context end to end against a real FHIR server (HAPI FHIR JPA, shared by the run) seeded
 * with a synthetic chart: the assembled document equals the seeded chart field by field, in one round
 * trip; paging is followed to the limit; the SMART Backend Services path gets a token from a real
 * token endpoint (which checks the signed client assertion) and reuses it, and a wrong key is refused;
 * the HealthLake path's requests pass the local stack's SigV4 verifier and a wrong secret does not; a
 * server that is down ends in a retryable failure after the retries.
 */
class ClinicalContextIT {

  static final String TENANT = "demo-clinic";
  static final String CLIENT_ID = "telebridge-demo";
  static final Identifier MRN = new Identifier("100234", "EPI", "MR");
  static final Identifier EMPTY_MRN = new Identifier("100877", "EPI", "MR");
  static final Map<String, String> AUTHORITIES = Map.of(SyntheticCharts.MRN_SYSTEM, "EPI");
  static final SigV4Verifier.Credentials AWS = new SigV4Verifier.Credentials("AKIDLOCALFHIR0001",
      "local-fhir-secret-key-0001", "000000000000", "arn:aws:iam::000000000000:role/context-fn", "AROALOCAL:context");
  static final String P = "pt100234";

  static FhirDoors gateway;
  static RSAKey key;
  static Instant seededAt;

  @BeforeAll
  static void startTheServerAndSeedTheChart() throws Exception {
    FhirServer server = FhirServer.shared();
    var client = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    seededAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SyntheticCharts.Chart c = SyntheticCharts.demo(P, "100234", seededAt);
    c.writeTo(client);
    SyntheticCharts.chart("pt100877", "100877", "Jordan", "Empty", "1990-01-01").writeTo(client);

    gateway = new FhirDoors(server.baseUrl(), AWS, "us-east-1", Clock.systemUTC());
    key = new RSAKeyGenerator(2048).keyID("telebridge-demo-2026-1").generate();
    gateway.register(CLIENT_ID, SmartBackendAuth.publicJwks(key));
  }

  @AfterAll
  static void stopTheGateway() {
    gateway.close();
  }

  // ------------------------------------------------------------------------------------------ wiring

  static SmartBackendAuth smart(com.nimbusds.jose.jwk.JWK k, String scope) {
    return new SmartBackendAuth(new SmartBackendAuth.Settings(CLIENT_ID, gateway.tokenUrl(), scope,
        Duration.ofSeconds(60)), k, HttpClient.newHttpClient(), Clock.systemUTC());
  }

  static FhirChartReader reader(String source, String base, IClientInterceptor auth, int pageSize) {
    return new FhirChartReader(FhirContexts.r4(), new FhirChartReader.Settings(source, base, pageSize, AUTHORITIES,
        true, 3, Duration.ofMillis(1)), auth, d -> { });
  }

  static AssembleContext assemble(ChartReader reader, FhirProfile profile) {
    return new AssembleContext(
        (tenant, patient) -> TENANT.equals(tenant) ? Optional.ofNullable(
            Map.of("pat-1001", MRN, "pat-1002", EMPTY_MRN, "pat-1003", new Identifier("999999", "EPI", "MR"))
                .get(patient)) : Optional.empty(),
        tenant -> Optional.of(new ContextSources.Source(profile, reader)), Clock.systemUTC());
  }

  static final FhirProfile PROFILE = FhirProfile.withDefaults(SyntheticCharts.MRN_SYSTEM);

  static PatientContext ready(ContextOutcome outcome) {
    return assertInstanceOf(ContextOutcome.Ready.class, outcome, () -> outcome.toString()).context();
  }

  static <T> List<T> sorted(List<T> items, Function<T, String> id) {
    return items.stream().sorted(Comparator.comparing(id)).toList();
  }

  static Code snomed(String code, String display) {
    return new Code(code, display, SyntheticCharts.SNOMED);
  }

  // ------------------------------------------------------------------------------------------ tests

  @Test
  void theContextOfTheSamplePatientIsTheSeededChartFieldByFieldInOneRoundTrip() {
    FhirChartReader reader = reader("ehr-fhir", gateway.ehrBase(), smart(key, SmartBackendAuth.SCOPES_V2), 100);
    PatientContext ctx = ready(assemble(reader, PROFILE).assemble(new ContextRequest(TENANT, "pat-1001", "apt-3001")));

    assertEquals(P, ctx.patient().fhirId());
    assertEquals(MRN, ctx.patient().patient().mrn());
    assertEquals("Quinn", ctx.patient().patient().demographics().name().family());
    assertEquals(List.of("Avery"), ctx.patient().patient().demographics().name().given());
    assertEquals("1984-07-19", ctx.patient().patient().demographics().birthDate().toString());
    assertEquals(Sex.FEMALE, ctx.patient().patient().demographics().sex());

    Code problemList = new Code("problem-list-item", null, SyntheticCharts.CONDITION_CATEGORY);
    assertEquals(List.of(
        new Problem(P + "-dm", snomed("44054006", "Diabetes mellitus type 2"), "active", "confirmed",
            List.of(problemList), "2019-03-14", "2019-03-14"),
        new Problem(P + "-htn", snomed("38341003", "Hypertensive disorder"), "active", "confirmed",
            List.of(problemList), "2017-08-01", "2017-08-01")),
        sorted(ctx.problems().items(), Problem::fhirId));
    assertTrue(ctx.problems().complete());

    assertEquals(List.of(
        new Medication(P + "-ibuprofen", "MedicationStatement",
            new Code("310965", "ibuprofen 200 MG Oral Tablet", SyntheticCharts.RXNORM), "active", null,
            "200 mg as needed for pain", "2025-02-01"),
        new Medication(P + "-lisinopril", "MedicationRequest",
            new Code("314076", "lisinopril 10 MG Oral Tablet", SyntheticCharts.RXNORM), "active", "order",
            "10 mg, once daily", "2023-05-02"),
        new Medication(P + "-metformin", "MedicationRequest",
            new Code("860975", "metformin hydrochloride 500 MG Oral Tablet", SyntheticCharts.RXNORM), "active",
            "order", "500 mg by mouth twice daily with meals", "2024-01-10")),
        sorted(ctx.medications().items(), Medication::fhirId));
    assertTrue(ctx.medications().complete());

    assertEquals(List.of(
        new Allergy(P + "-peanut", snomed("91935009", "Allergy to peanut"), "active", "confirmed", "allergy",
            List.of("medication"), "low", List.of(), "2015-06-02"),
        new Allergy(P + "-penicillin", snomed("764146007", "Penicillin"), "active", "confirmed", "allergy",
            List.of("medication"), "high",
            List.of(new Allergy.Reaction(List.of(snomed("271807003", "Skin rash")), "moderate", null)), "2015-06-02")),
        sorted(ctx.allergies().items(), Allergy::fhirId));
    assertTrue(ctx.allergies().complete());

    Instant at = seededAt.minus(2, ChronoUnit.DAYS);
    String issued = at.plus(6, ChronoUnit.HOURS).toString();
    assertEquals(List.of(
        new ClinicalResult(P + "-bmp", "DiagnosticReport",
            new Code("51990-0", "Basic metabolic panel - Blood", SyntheticCharts.LOINC), "final", at.toString(), at,
            null, null, List.of(), List.of(), List.of(P + "-glu", P + "-na"), "Glucose above range."),
        new ClinicalResult(P + "-glu", "Observation", new Code("2345-7", "Glucose", SyntheticCharts.LOINC), "final",
            at.toString(), at, issued, new ClinicalResult.Value.Quantity(new BigDecimal("112"), null, "mg/dL", "mg/dL"),
            List.of(new ClinicalResult.Range(new BigDecimal("70"), new BigDecimal("99"), "mg/dL", null)),
            List.of(new Code("H", null, SyntheticCharts.INTERPRETATION)), List.of(), null),
        new ClinicalResult(P + "-na", "Observation", new Code("2951-2", "Sodium", SyntheticCharts.LOINC), "final",
            at.toString(), at, issued, new ClinicalResult.Value.Quantity(new BigDecimal("139"), null, "mmol/L",
            "mmol/L"),
            List.of(new ClinicalResult.Range(new BigDecimal("136"), new BigDecimal("145"), "mmol/L", null)),
            List.of(new Code("N", null, SyntheticCharts.INTERPRETATION)), List.of(), null)),
        ctx.results().items());
    assertTrue(ctx.results().complete());

    assertEquals("ehr-fhir", ctx.provenance().source());
    assertEquals(P, ctx.provenance().patientFhirId());
    assertEquals(1, ctx.provenance().roundTrips(), "one batch for the whole context");
  }

  @Test
  void pagingIsFollowedToTheLimitAndASectionCutThereSaysItIsNotComplete() {
    FhirChartReader reader = reader("ehr-fhir", gateway.ehrBase(), smart(key, SmartBackendAuth.SCOPES_V2), 1);
    FhirProfile twoPages = new FhirProfile(SyntheticCharts.MRN_SYSTEM, Duration.ofDays(365), 50, true, 2);
    PatientContext ctx = ready(assemble(reader, twoPages).assemble(new ContextRequest(TENANT, "pat-1001", null)));
    // two problems and two active requests fit in two pages of one; three allergies do not
    assertEquals(2, ctx.problems().items().size());
    assertTrue(ctx.problems().complete());
    assertEquals(3, ctx.medications().items().size());
    assertTrue(ctx.medications().complete());
    assertFalse(ctx.allergies().complete());
    assertTrue(ctx.allergies().available());
    // the batch, then one more page each of conditions, requests and allergies
    assertEquals(4, ctx.provenance().roundTrips());
  }

  @Test
  void aPatientWithAnEmptyChartGetsEmptySectionsThatSayTheyAreComplete() {
    FhirChartReader reader = reader("ehr-fhir", gateway.ehrBase(), smart(key, SmartBackendAuth.SCOPES_V1), 100);
    PatientContext ctx = ready(assemble(reader, PROFILE).assemble(new ContextRequest(TENANT, "pat-1002", null)));
    for (Section<?> s : List.of(ctx.problems(), ctx.medications(), ctx.allergies(), ctx.results())) {
      assertEquals(List.of(), s.items());
      assertTrue(s.complete());
    }
  }

  @Test
  void anMrnTheServerDoesNotKnowIsPatientNotFound() {
    FhirChartReader reader = reader("ehr-fhir", gateway.ehrBase(), smart(key, SmartBackendAuth.SCOPES_V2), 100);
    ContextOutcome outcome = assemble(reader, PROFILE).assemble(new ContextRequest(TENANT, "pat-1003", null));
    assertEquals(Section.Unavailable.Reason.PATIENT_NOT_FOUND,
        assertInstanceOf(ContextOutcome.Unavailable.class, outcome).reason());
  }

  @Test
  void theSmartPathGetsOneTokenAndReusesItForLaterReads() {
    SmartBackendAuth auth = smart(key, SmartBackendAuth.SCOPES_V2);
    FhirChartReader reader = reader("ehr-fhir", gateway.ehrBase(), auth, 100);
    AssembleContext assemble = assemble(reader, PROFILE);
    ready(assemble.assemble(new ContextRequest(TENANT, "pat-1001", null)));
    ready(assemble.assemble(new ContextRequest(TENANT, "pat-1002", null)));
    assertEquals(1, auth.tokenRequests());
  }

  @Test
  void anUnregisteredKeyIsRefusedByTheTokenEndpointAndNothingIsRead() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_384).keyID(key.getKeyID()).generate();
    int before = gateway.fhirRequests.get();
    FhirChartReader reader = reader("ehr-fhir", gateway.ehrBase(), smart(stranger, SmartBackendAuth.SCOPES_V2), 100);
    ContextOutcome outcome = assemble(reader, PROFILE).assemble(new ContextRequest(TENANT, "pat-1001", null));
    assertEquals(Section.Unavailable.Reason.ACCESS_DENIED,
        assertInstanceOf(ContextOutcome.Unavailable.class, outcome).reason());
    assertEquals(before, gateway.fhirRequests.get());
  }

  @Test
  void theTokenEndpointRefusesAReplayedAssertion() throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer(CLIENT_ID).subject(CLIENT_ID)
        .audience(gateway.tokenUrl().toString()).jwtID(UUID.randomUUID().toString())
        .expirationTime(Date.from(now.plusSeconds(240))).build());
    jwt.sign(new RSASSASigner(key));
    String form = "grant_type=client_credentials&scope=" + URLEncoder.encode("system/*.read", StandardCharsets.UTF_8)
        + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        StandardCharsets.UTF_8) + "&client_assertion=" + jwt.serialize();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest post = HttpRequest.newBuilder(gateway.tokenUrl())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    assertEquals(200, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(401, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void theHealthLakePathSignsEveryRequestSoTheSigV4VerifierAcceptsIt() {
    HealthLakeSigV4Auth auth = new HealthLakeSigV4Auth(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(AWS.accessKey(), AWS.secretKey())), "us-east-1", Clock.systemUTC());
    int before = gateway.fhirRequests.get();
    // page size 1: the paging requests are signed too
    FhirChartReader reader = reader("healthlake", gateway.healthLakeBase(), auth, 1);
    FhirProfile twoPages = new FhirProfile(SyntheticCharts.MRN_SYSTEM, Duration.ofDays(365), 50, true, 2);
    PatientContext ctx = ready(assemble(reader, twoPages).assemble(new ContextRequest(TENANT, "pat-1001", null)));
    assertEquals(2, ctx.problems().items().size());
    assertEquals("healthlake", ctx.provenance().source());
    assertEquals(ctx.provenance().roundTrips(), gateway.fhirRequests.get() - before);
  }

  @Test
  void theHealthLakePathWithAWrongSecretIsRefused() {
    HealthLakeSigV4Auth auth = new HealthLakeSigV4Auth(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(AWS.accessKey(), "not-the-secret")), "us-east-1", Clock.systemUTC());
    FhirChartReader reader = reader("healthlake", gateway.healthLakeBase(), auth, 100);
    ContextOutcome outcome = assemble(reader, PROFILE).assemble(new ContextRequest(TENANT, "pat-1001", null));
    assertEquals(Section.Unavailable.Reason.ACCESS_DENIED,
        assertInstanceOf(ContextOutcome.Unavailable.class, outcome).reason());
    assertTrue(gateway.refusals.contains("sigv4: signature does not match"), gateway.refusals::toString);
  }

  @Test
  void aFhirServerThatIsDownIsRetriedThenLeftToTheCallerAsTransient() {
    FhirChartReader reader = reader("ehr-fhir", "http://127.0.0.1:1/fhir", null, 100);
    TransientException e = assertThrows(TransientException.class,
        () -> assemble(reader, PROFILE).assemble(new ContextRequest(TENANT, "pat-1001", null)));
    assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
  }
}
