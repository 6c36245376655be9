package io.telebridge.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.telebridge.core.context.FhirSource;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The one FHIR factory: an interceptor per source and purpose, kept; the SMART key read from its secret once each. */
class FhirSourcesTest {

  private final List<String> secretReads = new ArrayList<>();
  private final RSAKey key;
  private final FhirSources sources;

  FhirSourcesTest() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    sources = new FhirSources(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")), "us-east-1",
        arn -> {
          secretReads.add(arn);
          return arn.endsWith("public") ? key.toPublicJWK().toJSONString() : key.toJSONString();
        }, HttpClient.newHttpClient(), Clock.systemUTC());
  }

  private static FhirSource smart(String secret) {
    return new FhirSource("https://ehr.example/r4", FhirSource.Auth.SMART,
        new FhirSource.Smart("c", "https://ehr.example/token", secret, null, null, null), 50, "urn:x", "EPI");
  }

  @Test
  void oneSmartClientPerSourceAndPurposeItsKeyReadOnceEach() {
    FhirSource s = smart("arn:aws:secretsmanager:us-east-1:1:secret:k");
    var read = sources.auth(s, FhirSource.Purpose.READ);
    assertInstanceOf(SmartBackendAuth.class, read);
    assertSame(read, sources.auth(s, FhirSource.Purpose.READ), "kept: its token is reused");
    assertSame(read, sources.auth(s.withMrn("urn:other", "OTHER"), FhirSource.Purpose.READ),
        "two tenants on the same EHR share the client");
    var write = sources.auth(s, FhirSource.Purpose.WRITE);
    assertNotSame(read, write, "writes ask for other scopes");
    assertEquals(2, secretReads.size());
    assertSame(sources.reader(s), sources.reader(s));
  }

  @Test
  void healthLakeSignsInTheRegionItsUrlNamesAndNoneHasNoInterceptor() {
    FhirSource hl = new FhirSource("https://healthlake.eu-west-2.amazonaws.com/datastore/d1/r4/",
        FhirSource.Auth.HEALTHLAKE, null, 100, "urn:x", null);
    assertInstanceOf(HealthLakeSigV4Auth.class, sources.auth(hl, FhirSource.Purpose.WRITE));
    assertSame(sources.auth(hl, FhirSource.Purpose.READ), sources.auth(hl, FhirSource.Purpose.WRITE));
    assertEquals("eu-west-2", sources.regionOf(hl.baseUrl()));
    assertEquals("us-east-1", sources.regionOf("http://127.0.0.1:4599/datastore/ds-local-0001/r4/"));
    assertNull(sources.auth(new FhirSource("http://fhir.local/r4", FhirSource.Auth.NONE, null, 100, "urn:x", null),
        FhirSource.Purpose.READ));
  }

  @Test
  void aSecretThatHoldsOnlyThePublicKeyIsRefused() {
    assertThrows(IllegalStateException.class,
        () -> sources.auth(smart("arn:aws:secretsmanager:us-east-1:1:secret:public"), FhirSource.Purpose.READ));
  }
}
