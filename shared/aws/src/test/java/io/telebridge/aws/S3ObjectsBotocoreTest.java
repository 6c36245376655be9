package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * S3Objects signs its requests with the Java SDK's signer and properties of its own choosing (service s3,
 * single URL encoding, signed payload). moto does not check signatures, so this test checks them against
 * botocore's S3SigV4Auth, AWS's Python implementation, on the very requests S3Objects put on the wire.
 * Skipped (with the reason) where python3 with botocore is not installed; CI installs it with moto.
 */
class S3ObjectsBotocoreTest {

  private static final String ACCESS = "AKIDEXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Instant AT = Instant.parse("2026-12-07T16:00:00Z");

  private LoopbackHttp server;
  private S3Objects s3;

  @BeforeEach
  void start() {
    server = LoopbackHttp.start();
    s3 = new S3Objects("eu-west-2", server.uri(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)), UrlConnectionHttpClient.create(),
        Clock.fixed(AT, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void putAndGetCarryTheSignatureBotocoreComputesForTheSameRequest() throws Exception {
    assumeTrue(botocoreAvailable(), "python3 with botocore is not installed: S3 signatures not cross-checked");
    s3.put("payloads", "intake/demo-clinic/ab.cd_1-2 x~y", "{\"note\":\"synthetic ü\"}".getBytes(StandardCharsets.UTF_8),
        Map.of("x-amz-server-side-encryption", "aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:eu-west-2:000000000000:key/k1"));
    s3.get("payloads", "to-ehr/north-clinic/0f.9e");

    List<LoopbackHttp.Request> seen = server.requests();
    assertEquals(2, seen.size());
    for (LoopbackHttp.Request request : seen) {
      Map<String, String> signed = new LinkedHashMap<>();
      request.headers().forEach((name, values) -> {
        String value = String.join(",", values);
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (!lower.equals("authorization") && !lower.equals("x-amz-date") && !lower.equals("x-amz-content-sha256")
            && !lower.equals("accept") && !lower.equals("connection") && !lower.equals("user-agent")
            && !lower.equals("host")) {
          signed.put(lower, value);
        }
      });
      String botocore = botocoreAuthorization(request, signed);
      assertEquals(botocore, request.header("Authorization"), request.method() + " " + request.rawPath());
    }
  }

  private String botocoreAuthorization(LoopbackHttp.Request request, Map<String, String> headers) throws Exception {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("method", request.method());
    input.put("url", server.uri() + request.rawPath());
    input.put("headers", headers);
    input.put("body", new String(request.body(), StandardCharsets.UTF_8));
    input.put("accessKey", ACCESS);
    input.put("secretKey", SECRET);
    input.put("region", "eu-west-2");
    input.put("amzDate", "20261207T160000Z");
    Path script = Files.createTempFile("botocore_s3_sign", ".py");
    try (InputStream in = getClass().getResourceAsStream("/botocore_s3_sign.py")) {
      Files.write(script, in.readAllBytes());
    }
    Process p = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(JsonMapper.builder().build().writeValueAsBytes(input));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    Files.deleteIfExists(script);
    return out;
  }

  private static boolean botocoreAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import botocore.auth").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
