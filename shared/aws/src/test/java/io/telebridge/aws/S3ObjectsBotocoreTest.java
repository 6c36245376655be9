package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * S3Objects signs its requests with the Java SDK's signer and properties of its own choosing (service s3,
 * single URL encoding, signed payload). moto does not check signatures, so this test checks them against
 * botocore's S3SigV4Auth, AWS's Python implementation, on the very requests S3Objects put on the wire.
 * Skipped (with the reason) where python3 with botocore is not installed; CI installs it with moto.
 */
class S3ObjectsBotocoreTest {

  /** botocore's S3SigV4Auth adds the date and the payload hash itself; the rest it does not sign. */
  private static final Set<String> UNSIGNED = Set.of("authorization", "x-amz-date", "x-amz-content-sha256", "accept",
      "connection", "user-agent", "host");

  private LoopbackHttp server;
  private S3Objects s3;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackHttp();
    s3 = new S3Objects("eu-west-2", server.uri(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(BotocoreSigner.ACCESS, BotocoreSigner.SECRET)),
        UrlConnectionHttpClient.create(), Clock.fixed(Instant.parse("2026-12-07T16:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void putAndGetCarryTheSignatureBotocoreComputesForTheSameRequest() throws Exception {
    assumeTrue(BotocoreSigner.available(), "python3 with botocore is not installed: S3 signatures not cross-checked");
    s3.put("payloads", "intake/demo-clinic/ab.cd_1-2 x~y", "{\"note\":\"synthetic ü\"}".getBytes(StandardCharsets.UTF_8),
        Map.of("x-amz-server-side-encryption", "aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:eu-west-2:000000000000:key/k1"));
    s3.get("payloads", "to-ehr/north-clinic/0f.9e");

    assertEquals(2, server.seen().size());
    for (LoopbackHttp.Seen request : server.seen()) {
      assertEquals(BotocoreSigner.authorization(request, server, "s3", "eu-west-2", UNSIGNED),
          request.header("Authorization"), request.method() + " " + request.rawPath());
    }
  }
}
