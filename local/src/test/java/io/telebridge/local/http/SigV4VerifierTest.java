package io.telebridge.local.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The local IAM authorizer against signatures made by the AWS SDK's own SigV4 signer. */
class SigV4VerifierTest {

  private static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z");
  private static final SigV4Verifier.Credentials LOCAL = new SigV4Verifier.Credentials("test", "test",
      "000000000000", "arn:aws:iam::000000000000:user/local-developer", "AIDALOCALDEVELOPER");
  private final SigV4Verifier verifier = new SigV4Verifier(List.of(LOCAL), "us-east-1", "execute-api",
      Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

  /** Signs with the SDK (at {@code signedAt}), then turns the signed request into what the local API receives. */
  private static ApiRequest signed(String method, String url, String body, String secret, Instant signedAt,
      String region) {
    URI uri = URI.create(url);
    SdkHttpRequest.Builder http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    if (body != null) {
      http.putHeader("Content-Type", "application/json");
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest request = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create("test", secret))
        .request(http.build())
        .payload(body == null ? null : ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))).request();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    // as the JDK server hands them over: header names with their first letter upper-cased
    request.headers().forEach((k, v) -> headers.put(Character.toUpperCase(k.charAt(0)) + k.substring(1),
        new ArrayList<>(v)));
    return new ApiRequest(method, uri.getRawPath(), uri.getRawQuery(), headers, bytes, "127.0.0.1", "HTTP/1.1",
        uri.getPort());
  }

  private static ApiRequest signed(String method, String url, String body) {
    return signed(method, url, body, "test", NOW.minusSeconds(20), "us-east-1");
  }

  private static ApiRequest with(ApiRequest r, String rawPath, String rawQuery, byte[] body) {
    return new ApiRequest(r.method(), rawPath, rawQuery, r.headers(), body, r.sourceIp(), r.protocol(), r.localPort());
  }

  @Test
  void acceptsRequestsSignedByTheSdkAndReportsTheIdentity() {
    SigV4Verifier.Result get = verifier.verify(signed("GET",
        "http://127.0.0.1:3000/v1/reviews?tenant=demo-clinic&include=demographics", null));
    assertTrue(get.accepted(), get.refusal());
    assertEquals("arn:aws:iam::000000000000:user/local-developer", get.identity().userArn());
    assertEquals("test", get.identity().accessKey());
    assertEquals("000000000000", get.identity().accountId());

    SigV4Verifier.Result post = verifier.verify(signed("POST",
        "http://127.0.0.1:3000/v1/reviews/rc-0a1b2c/resolution?tenant=demo-clinic", "{\"action\":\"new\"}"));
    assertTrue(post.accepted(), post.refusal());
  }

  @Test
  void acceptsPathsAndQueriesThatNeedEncoding() {
    SigV4Verifier.Result r = verifier.verify(signed("GET",
        "http://127.0.0.1:3000/v1/reviews/rc%3Aa%20b?tenant=a%20b&z=1&a=%2F&a=0&empty=", null));
    assertTrue(r.accepted(), r.refusal());
  }

  /**
   * HealthLake's searches carry {@code identifier=urn:oid:…|…}. botocore (1.43.11) signs a URL whose query it did
   * not encode as the characters stand ({@code _count=5&identifier=urn:oid:1.2.840.99999.1|100234} in its
   * canonical request); AWS accepts it. The headers below are what botocore's SigV4Auth gave for this URL.
   */
  @Test
  void acceptsAQueryWithAnUnencodedColonAsBotocoreSignsIt() {
    SigV4Verifier healthLake = new SigV4Verifier(List.of(LOCAL), "us-east-1", "healthlake", Duration.ofMinutes(5),
        Clock.fixed(Instant.parse("2026-12-07T16:22:50Z"), ZoneOffset.UTC));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("127.0.0.1:4566"));
    headers.put("X-Amz-Date", List.of("20261207T162244Z"));
    headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=test/20261207/us-east-1/healthlake/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=f3e75c2f6de67765d4c31896faab79aa28ce4f1b6b4740c664c33287233293bf"));
    ApiRequest botocore = new ApiRequest("GET", "/datastore/ds-local-0001/r4/Patient",
        "identifier=urn:oid:1.2.840.99999.1|100234&_count=5", headers, new byte[0], "127.0.0.1", "HTTP/1.1", 4566);
    SigV4Verifier.Result r = healthLake.verify(botocore);
    assertTrue(r.accepted(), r.refusal());
    // and a changed value is still refused in either form
    assertFalse(healthLake.verify(with(botocore, botocore.rawPath(), "identifier=urn:oid:1.2.840.99999.1|100235&_count=5",
        new byte[0])).accepted());
  }

  /** The Java SDK's signer on the same URL (it encodes the ':' and '|' in its canonical query): accepted too. */
  @Test
  void acceptsTheSameQuerySignedByTheJavaSdk() {
    SigV4Verifier.Result r = verifier.verify(signed("GET",
        "http://127.0.0.1:3000/v1/reviews?identifier=urn:oid:1.2.840.99999.1%7C100234&_count=5", null));
    assertTrue(r.accepted(), r.refusal());
  }

  @Test
  void refusesATamperedBody() {
    ApiRequest r = signed("POST", "http://127.0.0.1:3000/v1/reviews/rc-1/resolution?tenant=t", "{\"action\":\"new\"}");
    SigV4Verifier.Result result = verifier.verify(with(r, r.rawPath(), r.rawQuery(),
        "{\"action\":\"link\",\"personId\":\"p\"}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(result.accepted());
  }

  @Test
  void refusesATamperedPathOrQuery() {
    ApiRequest r = signed("GET", "http://127.0.0.1:3000/v1/reviews/rc-1?tenant=t", null);
    assertFalse(verifier.verify(with(r, "/v1/reviews/rc-2", r.rawQuery(), r.body())).accepted());
    assertFalse(verifier.verify(with(r, r.rawPath(), "tenant=other", r.body())).accepted());
    assertFalse(verifier.verify(with(r, r.rawPath(), "tenant=t&include=demographics", r.body())).accepted());
  }

  @Test
  void refusesExpiredOrFutureSignatures() {
    String url = "http://127.0.0.1:3000/v1/reviews?tenant=t";
    assertFalse(verifier.verify(signed("GET", url, null, "test", NOW.minusSeconds(6 * 60), "us-east-1")).accepted());
    assertFalse(verifier.verify(signed("GET", url, null, "test", NOW.plusSeconds(6 * 60), "us-east-1")).accepted());
    assertTrue(verifier.verify(signed("GET", url, null, "test", NOW.minusSeconds(4 * 60), "us-east-1")).accepted());
  }

  @Test
  void refusesAWrongSecretAnotherRegionAndAMissingOrForeignAuthorization() {
    String url = "http://127.0.0.1:3000/v1/reviews?tenant=t";
    assertFalse(verifier.verify(signed("GET", url, null, "not-the-secret", NOW, "us-east-1")).accepted());
    assertFalse(verifier.verify(signed("GET", url, null, "test", NOW, "eu-west-1")).accepted());
    ApiRequest unsigned = new ApiRequest("GET", "/v1/reviews", "tenant=t", Map.of("Host", List.of("127.0.0.1:3000")),
        new byte[0], "127.0.0.1", "HTTP/1.1", 3000);
    assertFalse(verifier.verify(unsigned).accepted());
    ApiRequest basic = new ApiRequest("GET", "/v1/reviews", "tenant=t", Map.of("Host", List.of("127.0.0.1:3000"),
        "Authorization", List.of("Basic dGVzdDp0ZXN0")), new byte[0], "127.0.0.1", "HTTP/1.1", 3000);
    assertFalse(verifier.verify(basic).accepted());
  }

  @Test
  void refusesAChangedSignedHeader() {
    ApiRequest r = signed("POST", "http://127.0.0.1:3000/v1/reviews/rc-1/resolution?tenant=t", "{\"action\":\"new\"}");
    Map<String, List<String>> headers = new LinkedHashMap<>(r.headers());
    headers.put("Host", List.of("evil.example:3000"));
    assertFalse(verifier.verify(new ApiRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body(), r.sourceIp(),
        r.protocol(), r.localPort())).accepted());
  }
}
