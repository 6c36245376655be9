package io.telebridge.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FhirSourceTest {

  private static final String HL = "https://healthlake.us-east-2.amazonaws.com/datastore/abc/r4/";

  @Test
  void theDeploymentDefaultIsReadFromTheEnvironmentAndSigv4IsHealthLake() {
    assertNull(FhirSource.deploymentDefault("f", Map.of()));
    FhirSource s = FhirSource.deploymentDefault("f", Map.of("FHIR_BASE_URL", HL, "FHIR_AUTH", "sigv4",
        "FHIR_MRN_SYSTEM", "urn:oid:1.2"));
    assertEquals(FhirSource.Auth.HEALTHLAKE, s.auth());
    assertEquals("healthlake", s.kind());
    assertEquals(100, s.pageSize());
    assertTrue(s.hasMrnSystem());
    FhirSource noSystem = FhirSource.deploymentDefault("f", Map.of("FHIR_BASE_URL", HL, "FHIR_AUTH", "healthlake"));
    assertFalse(noSystem.hasMrnSystem(), "usable only by a profile that says its MRN system");
    assertTrue(noSystem.withMrn("urn:oid:9", "EPI").hasMrnSystem());
  }

  @Test
  void smartNeedsItsClientAndAsksReadOrWriteScopesByPurposeAndVersion() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> FhirSource.deploymentDefault("ctx",
        Map.of("FHIR_BASE_URL", "https://ehr.example/r4", "FHIR_AUTH", "smart", "FHIR_MRN_SYSTEM", "urn:x")));
    assertTrue(e.getMessage().contains("clientId") && e.getMessage().contains("keySecretArn"), e.getMessage());
    FhirSource v2 = FhirSource.deploymentDefault("ctx", Map.of("FHIR_BASE_URL", "https://ehr.example/r4",
        "FHIR_AUTH", "smart", "FHIR_MRN_SYSTEM", "urn:x", "FHIR_SMART_CLIENT_ID", "c",
        "FHIR_SMART_TOKEN_URL", "https://ehr.example/token", "FHIR_SMART_KEY_SECRET_ARN", "arn:aws:secretsmanager:k"));
    assertTrue(v2.smart().scopes(FhirSource.Purpose.READ).contains("system/Condition.rs"));
    assertTrue(v2.smart().scopes(FhirSource.Purpose.WRITE).contains("system/Encounter.cu"));
    assertFalse(v2.smart().scopes(FhirSource.Purpose.READ).contains(".cu"), "reads never ask to write");
    FhirSource.Smart v1 = new FhirSource.Smart("c", "https://t", "arn", FhirSource.ScopeVersion.V1, null, null);
    assertEquals("system/*.read", v1.scopes(FhirSource.Purpose.READ));
    assertEquals("system/*.read system/*.write", v1.scopes(FhirSource.Purpose.WRITE));
    assertEquals("system/Patient.rs", new FhirSource.Smart("c", "https://t", "arn", null, "system/Patient.rs", null)
        .scopes(FhirSource.Purpose.READ));
  }

  @Test
  void healthLakePagesAtMost100AndABaseUrlIsRequired() {
    assertThrows(IllegalArgumentException.class,
        () -> new FhirSource(HL, FhirSource.Auth.HEALTHLAKE, null, 500, "urn:x", null));
    assertEquals(500, new FhirSource("https://ehr/r4", FhirSource.Auth.NONE, null, 500, "urn:x", null).pageSize());
    assertThrows(IllegalArgumentException.class, () -> new FhirSource("", FhirSource.Auth.NONE, null, 0, "urn:x", null));
    assertThrows(IllegalArgumentException.class, () -> FhirSource.Auth.parse("basic"));
  }
}
