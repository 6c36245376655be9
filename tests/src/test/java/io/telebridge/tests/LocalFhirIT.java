package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.HealthLakeSigV4Auth;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.fhir.LocalFhir;
import io.telebridge.local.fhirserver.FhirServer;
import io.telebridge.local.fhirserver.SyntheticCharts;
import io.telebridge.local.http.SigV4Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The local stack's FHIR side without Keycloak: its doors in front of the FHIR server (the tests' shared
 * in-process HAPI FHIR JPA server, seeded here with the same sample charts the child process seeds). The
 * "HealthLake" door takes a search signed with SigV4 by the SDK's signer (shared/fhir's HealthLakeSigV4Auth)
 * and refuses an unsigned or wrongly signed one with 403; the EHR door refuses a request without a token.
 */
class LocalFhirIT {

  static LocalStack stack;
  static LocalFhir fhir;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    FhirServer server = FhirServer.shared();
    IGenericClient seed = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    for (SyntheticCharts.Chart chart : SyntheticCharts.samples(Instant.now())) {
      chart.writeIfAbsent(seed);
    }
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runFunctions(false)
        .runFhir(true).fhirPort(0).fhirUpstream(server.baseUrl()));
    fhir = stack.fhir();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static IGenericClient healthLake(String secret) {
    SigV4Verifier.Credentials c = LocalStack.localCredentials();
    IGenericClient client = FhirContexts.r4().newRestfulGenericClient(fhir.healthLakeBaseUrl());
    client.registerInterceptor(new HealthLakeSigV4Auth(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(c.accessKey(), secret)), "us-east-1", Clock.systemUTC()));
    return client;
  }

  @Test
  void theHealthLakeDoorServesASigV4SignedSearchOfTheSeededSamplePatient() {
    int before = fhir.doors().fhirRequests.get();
    Bundle found = healthLake(LocalStack.localCredentials().secretKey()).search().forResource(Patient.class)
        .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(SyntheticCharts.MRN_SYSTEM, "100234"))
        .returnBundle(Bundle.class).execute();
    assertEquals(1, found.getEntry().size());
    assertEquals("pt100234", found.getEntryFirstRep().getResource().getIdElement().getIdPart());
    Bundle problems = healthLake(LocalStack.localCredentials().secretKey()).search().forResource(Condition.class)
        .where(Condition.SUBJECT.hasId("Patient/pt100234")).returnBundle(Bundle.class).execute();
    assertEquals(4, problems.getEntry().size());
    assertEquals(2, fhir.doors().fhirRequests.get() - before);
    // links in the answer point at the door, not at the server behind it
    assertTrue(found.getLink("self").getUrl().startsWith(fhir.healthLakeBaseUrl()), found.getLink("self").getUrl());
    assertEquals(fhir.healthLakeBaseUrl(), stack.fhirBaseUrl());
  }

  @Test
  void theHealthLakeDoorRefusesAnUnsignedSearchAndAWrongSignatureWith403() throws Exception {
    int before = fhir.doors().fhirRequests.get();
    HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(fhir.healthLakeBaseUrl()
        + "Patient?identifier=" + SyntheticCharts.MRN_SYSTEM + "%7C100234")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, unsigned.statusCode());
    ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException e = org.junit.jupiter.api.Assertions.assertThrows(
        ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.class,
        () -> healthLake("not-the-secret").read().resource(Patient.class).withId("pt100234").execute());
    assertEquals(403, e.getStatusCode());
    assertEquals(before, fhir.doors().fhirRequests.get());
    assertTrue(fhir.doors().refusals.contains("sigv4: signature does not match"), fhir.doors().refusals::toString);
  }

  @Test
  void jwksPrintsWhatTheSmartClientWouldPublish() throws Exception {
    assertEquals(io.telebridge.fhir.SmartBackendAuth.publicJwks(fhir.clientKey()),
        io.telebridge.local.fhir.DevSmartKey.publicJwks(fhir.clientKey()));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertEquals(0, io.telebridge.local.Cli.run(new String[] {"jwks", "--data-dir", stack.dataDir().toString()},
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), new java.io.PrintStream(
            java.io.OutputStream.nullOutputStream())));
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
    assertEquals(io.telebridge.fhir.SmartBackendAuth.publicJwks(fhir.clientKey()), printed);
    assertTrue(!printed.contains("\"d\""), "no private part");
  }

  @Test
  void theEhrDoorWantsABearerToken() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(fhir.ehrBaseUrl() + "/Patient/pt100234"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode());
    HttpResponse<String> bogus = HTTP.send(HttpRequest.newBuilder(URI.create(fhir.ehrBaseUrl() + "/Patient/pt100234"))
        .header("Authorization", "Bearer made-up").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, bogus.statusCode());
  }
}
