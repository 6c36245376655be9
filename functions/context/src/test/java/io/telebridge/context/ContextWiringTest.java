package io.telebridge.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.telebridge.core.context.ContextSources;
import io.telebridge.fhir.FhirSources;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Each tenant's FHIR source comes from its EHR profile, else the deployment's default; an unlisted tenant has none. */
class ContextWiringTest {

  private static final String HEALTHLAKE = "https://healthlake.us-east-1.amazonaws.com/datastore/d1/r4/";

  @Test
  void twoTenantsOnTwoSourcesByTheirProfiles(@TempDir Path dir) throws Exception {
    String generic;
    try (var in = getClass().getClassLoader().getResourceAsStream("ehr-profiles/generic-epic-like.yaml")) {
      generic = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String north = generic.replace("id: generic-epic-like", "id: north")
        .replace("platform: {namespaceId: TELEHEALTH, typeCode: PI}", "platform: {namespaceId: NORTHPLAT, typeCode: PI}")
        .replace("ehrMrn: {namespaceId: EPI, typeCode: MR}", "ehrMrn: {namespaceId: NMRN, typeCode: MR}")
        .replace("fhir:\n", "fhir:\n  source:\n    baseUrl: https://fhir.north.example/r4\n    auth: smart\n"
            + "    smart: {clientId: tb-north, tokenUrl: \"https://fhir.north.example/token\", "
            + "keySecretArn: \"arn:aws:secretsmanager:us-east-1:1:secret:north\"}\n");
    Path northFile = dir.resolve("north.yaml");
    Files.writeString(northFile, north);
    ContextConfig config = ContextConfig.fromEnvironment(Map.of(
        "TO_PLATFORM_QUEUE_URL", "q", "CONTEXT_DLQ_URL", "d", "IDENTITY_TABLE", "i",
        "TENANTS", "{\"demo-clinic\": {\"ehrFacilities\": [\"MAIN_CLINIC\"]}, \"north-clinic\": {\"ehrProfile\": \""
            + northFile + "\", \"ehrFacilities\": [\"NORTH_HOSP\"]}}",
        "FHIR_BASE_URL", HEALTHLAKE, "FHIR_AUTH", "healthlake", "AWS_REGION", "us-east-1"));
    List<String> secretsRead = new ArrayList<>();
    String jwk = new RSAKeyGenerator(2048).keyID("k1").generate().toJSONString();
    FhirSources factory = new FhirSources(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
        "us-east-1", arn -> {
          secretsRead.add(arn);
          return jwk;
        }, HttpClient.newHttpClient(), Clock.systemUTC());

    ContextWiring.TenantFhirSources sources = ContextWiring.sources(config, factory);

    ContextSources.Source demo = sources.forTenant("demo-clinic").orElseThrow();
    assertEquals("healthlake", demo.reader().source());
    assertEquals(HEALTHLAKE.substring(0, HEALTHLAKE.length() - 1), demo.reader().baseUrl());
    assertEquals("urn:oid:1.2.840.99999.1", demo.profile().patientIdentifierSystem(), "the profile's MRN system");
    assertEquals("EPI", sources.mrnAuthority("demo-clinic"));

    ContextSources.Source northSource = sources.forTenant("north-clinic").orElseThrow();
    assertEquals("ehr-fhir", northSource.reader().source());
    assertEquals("https://fhir.north.example/r4", northSource.reader().baseUrl());
    assertEquals("NMRN", sources.mrnAuthority("north-clinic"));
    assertNotSame(demo.reader(), northSource.reader());
    assertEquals(List.of("arn:aws:secretsmanager:us-east-1:1:secret:north"), secretsRead,
        "the SMART key is read at cold start, once");

    assertTrue(sources.forTenant("unlisted").isEmpty(), "a tenant TENANTS does not list has no source");
  }
}
