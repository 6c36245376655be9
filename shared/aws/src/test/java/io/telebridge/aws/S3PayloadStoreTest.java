package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.telebridge.core.claimcheck.ClaimCheck;
import io.telebridge.core.claimcheck.ClaimCheckException;
import io.telebridge.core.error.TransientException;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CopyOnWriteArrayList;
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

  record Seen(String method, String path, Map<String, List<String>> headers, byte[] body) {}

  private HttpServer server;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private S3Objects s3;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      seen.add(new Seen(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
      byte[] answer = new byte[0];
      int status;
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = 503;
        answer = "<Error><Code>SlowDown</Code></Error>".getBytes(StandardCharsets.UTF_8);
      } else if (exchange.getRequestMethod().equals("PUT")) {
        objects.put(path, body);
        status = 200;
      } else if (objects.containsKey(path)) {
        status = 200;
        answer = objects.get(path);
      } else {
        status = 404;
        answer = "<Error><Code>NoSuchKey</Code><Key>x</Key></Error>".getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    s3 = new S3Objects("us-east-1", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
        UrlConnectionHttpClient.create(), Clock.fixed(Instant.parse("2026-12-07T16:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void putSendsTheBytesSignedForS3WithSseKmsAndGetReadsThemBack() throws Exception {
    S3PayloadStore store = new S3PayloadStore(s3, "payloads", "arn:aws:kms:us-east-1:000000000000:key/k1");
    byte[] payload = "{\"note\":\"synthetic\"}".getBytes(StandardCharsets.UTF_8);
    ClaimCheck check = store.put("intake/demo-clinic/ab.cd_1-2", payload);

    Seen put = seen.get(0);
    assertEquals("PUT", put.method());
    assertEquals("/payloads/intake/demo-clinic/ab.cd_1-2", put.path());
    assertArrayEquals(payload, put.body());
    String authorization = put.headers().get("Authorization").get(0);
    assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/s3/aws4_request"),
        authorization);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    assertEquals(sha256, put.headers().get("X-amz-content-sha256").get(0));
    assertTrue(authorization.contains("x-amz-content-sha256"), authorization);
    assertTrue(authorization.contains("x-amz-server-side-encryption-aws-kms-key-id"), authorization);
    assertEquals("aws:kms", put.headers().get("X-amz-server-side-encryption").get(0));
    assertEquals("true", put.headers().get("X-amz-server-side-encryption-bucket-key-enabled").get(0));

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
