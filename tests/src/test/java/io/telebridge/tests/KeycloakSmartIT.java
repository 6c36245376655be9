package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.telebridge.core.context.ChartAccessDenied;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.SmartBackendAuth;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.fhir.LocalFhir;
import io.telebridge.local.fhirserver.FhirServer;
import io.telebridge.local.fhirserver.SyntheticCharts;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EHR door behind a real OAuth2 server: the local stack starts Keycloak (the Maven Central
 * distribution; ≈ 1-3 min on two busy cores), which validates SmartBackendAuth's private_key_jwt client
 * assertions against the registered development JWKS; the door verifies Keycloak's JWTs against its JWKS
 * and the SMART scopes. A token is fetched once and reused for the second read; an assertion signed with
 * another key is refused by Keycloak; a token without the scope of the type read gets 403.
 */
class KeycloakSmartIT {

  static LocalStack stack;
  static LocalFhir fhir;

  @BeforeAll
  static void start() throws Exception {
    FhirServer server = FhirServer.shared();
    IGenericClient seed = FhirContexts.r4().newRestfulGenericClient(server.baseUrl());
    for (SyntheticCharts.Chart chart : SyntheticCharts.samples(Instant.now())) {
      chart.writeIfAbsent(seed);
    }
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runFunctions(false)
        .runFhir(true).fhirPort(0).fhirUpstream(server.baseUrl()).keycloak(true).keycloakPort(0));
    fhir = stack.fhir();
    long t0 = System.nanoTime();
    fhir.awaitKeycloak(Duration.ofMinutes(15));
    System.out.printf("KeycloakSmartIT: Keycloak ready %.1f s after spawn (waited %.1f s here)%n",
        fhir.keycloak().readySeconds(), (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static SmartBackendAuth smart(JWK key, String scope) {
    return new SmartBackendAuth(new SmartBackendAuth.Settings(LocalFhir.CLIENT_ID, fhir.tokenUrl(), scope,
        Duration.ofSeconds(30)), key, HttpClient.newHttpClient(), Clock.systemUTC());
  }

  static IGenericClient ehr(SmartBackendAuth auth) {
    IGenericClient client = FhirContexts.r4().newRestfulGenericClient(fhir.ehrBaseUrl());
    client.registerInterceptor(auth);
    return client;
  }

  @Test
  void aTokenFromKeycloakReadsTheChartAndIsReusedForTheSecondRead() {
    assertTrue(fhir.tokenUrl().toString().startsWith(fhir.keycloak().issuer()), fhir.tokenUrl().toString());
    SmartBackendAuth auth = smart(fhir.clientKey(), SmartBackendAuth.SCOPES_V2);
    IGenericClient client = ehr(auth);
    Patient p = client.read().resource(Patient.class).withId("pt100234").execute();
    assertEquals("100234", p.getIdentifierFirstRep().getValue());
    Bundle problems = client.search().forResource(Condition.class).where(Condition.SUBJECT.hasId("Patient/pt100234"))
        .returnBundle(Bundle.class).execute();
    assertEquals(4, problems.getEntry().size());
    assertEquals(1, auth.tokenRequests());
  }

  @Test
  void anAssertionSignedWithAnotherKeyIsRefusedByKeycloak() throws Exception {
    JWK stranger = new RSAKeyGenerator(2048).keyID(fhir.clientKey().getKeyID()).generate();
    int before = fhir.doors().fhirRequests.get();
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> ehr(smart(stranger, SmartBackendAuth.SCOPES_V2)).read().resource(Patient.class).withId("pt100234")
            .execute());
    assertInstanceOf(ChartAccessDenied.class, rootOrSelf(e), e::toString);
    assertEquals(before, fhir.doors().fhirRequests.get());
  }

  @Test
  void aTokenWithoutTheScopeOfTheTypeReadGets403() {
    BaseServerResponseException e = assertThrows(BaseServerResponseException.class,
        () -> ehr(smart(fhir.clientKey(), "system/Patient.rs")).search().forResource(Condition.class)
            .where(Condition.SUBJECT.hasId("Patient/pt100234")).returnBundle(Bundle.class).execute());
    assertEquals(403, e.getStatusCode());
    assertTrue(fhir.doors().refusals.contains("scope: no system scope to read Condition"), fhir.doors().refusals::toString);
  }

  static Throwable rootOrSelf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ChartAccessDenied) {
        return c;
      }
    }
    return t;
  }
}
