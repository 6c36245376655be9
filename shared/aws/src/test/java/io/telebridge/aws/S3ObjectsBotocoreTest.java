package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CopyOnWriteArrayList;
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

  record Seen(String method, String rawPath, Map<String, String> headers, byte[] body) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private S3Objects s3;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    s3 = new S3Objects("eu-west-2", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)), UrlConnectionHttpClient.create(),
        Clock.fixed(AT, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void putAndGetCarryTheSignatureBotocoreComputesForTheSameRequest() throws Exception {
    assumeTrue(botocoreAvailable(), "python3 with botocore is not installed: S3 signatures not cross-checked");
    s3.put("payloads", "intake/demo-clinic/ab.cd_1-2 x~y", "{\"note\":\"synthetic ü\"}".getBytes(StandardCharsets.UTF_8),
        Map.of("x-amz-server-side-encryption", "aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:eu-west-2:000000000000:key/k1"));
    s3.get("payloads", "to-ehr/north-clinic/0f.9e");

    assertEquals(2, seen.size());
    for (Seen request : seen) {
      Map<String, String> signed = new LinkedHashMap<>();
      request.headers().forEach((name, value) -> {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (!lower.equals("authorization") && !lower.equals("x-amz-date") && !lower.equals("x-amz-content-sha256")
            && !lower.equals("accept") && !lower.equals("connection") && !lower.equals("user-agent")
            && !lower.equals("host")) {
          signed.put(lower, value);
        }
      });
      String botocore = botocoreAuthorization(request, signed);
      assertEquals(botocore, request.headers().get("Authorization"), request.method() + " " + request.rawPath());
    }
  }

  private String botocoreAuthorization(Seen request, Map<String, String> headers) throws Exception {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("method", request.method());
    input.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + request.rawPath());
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
