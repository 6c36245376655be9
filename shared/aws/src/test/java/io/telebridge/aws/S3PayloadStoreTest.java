package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.claimcheck.ClaimCheck;
import io.telebridge.core.claimcheck.ClaimCheckException;
import io.telebridge.core.error.TransientException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The claim checks' signed S3 requests against a real HTTP peer on loopback that answers as S3 does
 * (objects by path-style key, NoSuchKey, a 503 once): what goes over the wire and how answers are read.
 * ClaimCheckIT runs the same code against moto's S3.
 */
class S3PayloadStoreTest {

  private LoopbackHttp server;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private List<LoopbackHttp.Seen> seen;
  private final AtomicInteger failNext = new AtomicInteger();
  private S3Objects s3;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackHttp().answer(request -> {
      String path = request.rawPath();
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return LoopbackHttp.Answer.of(503, "<Error><Code>SlowDown</Code></Error>");
      } else if (request.method().equals("PUT")) {
        objects.put(path, request.body());
        return new LoopbackHttp.Answer(200, new byte[0]);
      } else if (objects.containsKey(path)) {
        return new LoopbackHttp.Answer(200, objects.get(path));
      }
      return LoopbackHttp.Answer.of(404, "<Error><Code>NoSuchKey</Code><Key>x</Key></Error>");
    });
    seen = server.seen();
    s3 = new S3Objects("us-east-1", server.uri(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
        UrlConnectionHttpClient.create(), Clock.fixed(Instant.parse("2026-12-07T16:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void putSendsTheBytesSignedForS3WithSseKmsAndGetReadsThemBack() throws Exception {
    S3PayloadStore store = new S3PayloadStore(s3, "payloads", "arn:aws:kms:us-east-1:000000000000:key/k1");
    byte[] payload = "{\"note\":\"synthetic\"}".getBytes(StandardCharsets.UTF_8);
    ClaimCheck check = store.put("intake/demo-clinic/ab.cd_1-2", payload);

    LoopbackHttp.Seen put = seen.get(0);
    assertEquals("PUT", put.method());
    assertEquals("/payloads/intake/demo-clinic/ab.cd_1-2", put.rawPath());
    assertArrayEquals(payload, put.body());
    String authorization = put.header("Authorization");
    assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/s3/aws4_request"),
        authorization);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    assertEquals(sha256, put.header("X-amz-content-sha256"));
    assertTrue(authorization.contains("x-amz-content-sha256"), authorization);
    assertTrue(authorization.contains("x-amz-server-side-encryption-aws-kms-key-id"), authorization);
    assertEquals("aws:kms", put.header("X-amz-server-side-encryption"));
    assertEquals("true", put.header("X-amz-server-side-encryption-bucket-key-enabled"));

    assertArrayEquals(payload, store.get(check));
    assertEquals("GET", seen.get(1).method());
  }

  @Test
  void withoutADataKeyTheBucketDefaultEncryptionApplies() {
    new S3PayloadStore(s3, "payloads", " ").put("k", new byte[] {1});
    assertTrue(seen.get(0).headers().keySet().stream().noneMatch(h -> h.toLowerCase().contains("encryption")));
  }

  @Test
  void aMissingObjectIsAClaimCheckErrorNotATransientOne() {
    S3PayloadStore store = new S3PayloadStore(s3, "payloads", null);
    ClaimCheck gone = ClaimCheck.of("payloads", "intake/demo-clinic/gone", new byte[] {1, 2});
    assertThrows(ClaimCheckException.class, () -> store.get(gone));
  }

  @Test
  void aThrottleIsTriedAgainAndThreeInARowAreTransient() {
    S3PayloadStore store = new S3PayloadStore(s3, "payloads", null);
    failNext.set(1);
    store.put("k", new byte[] {7});
    assertEquals(2, seen.size());
    failNext.set(3);
    TransientException e = assertThrows(TransientException.class, () -> store.put("k2", new byte[] {8}));
    assertTrue(e.getMessage().contains("503"), e.getMessage());
    assertEquals(5, seen.size());
  }

  @Test
  void awsAddressingIsVirtualHostedAndKeysAreEncodedPerSegment() {
    S3Objects aws = new S3Objects("eu-west-1", null, null, null, Clock.systemUTC());
    assertEquals(URI.create("https://payloads.s3.eu-west-1.amazonaws.com/intake/t%2B1/a~b%2A"),
        aws.uri("payloads", "intake/t+1/a~b*"));
  }
}
