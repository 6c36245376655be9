package io.telebridge.tests;

import io.telebridge.core.webhook.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Sends webhook requests over real HTTP, signed as the platform would. */
final class Signed {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Signed() {}

  static byte[] sample(String name) throws IOException {
    return Files.readAllBytes(REPO.resolve("events").resolve(name));
  }

  /**
   * A sample with its event id replaced and, when {@code patientId} is not null, its platform
   * patient id ({@code pat-1001} in the samples) too: a new event of a new patient for each test.
   */
  static byte[] event(String sample, String id, String patientId) throws IOException {
    String body = new String(sample(sample), java.nio.charset.StandardCharsets.UTF_8);
    String original = body.replaceAll("(?s)^\\{\\s*\"id\": \"([^\"]+)\".*", "$1");
    body = body.replaceFirst("\"id\": \"" + original + "\"", "\"id\": \"" + id + "\"");
    if (patientId != null) {
      body = body.replace("\"pat-1001\"", "\"" + patientId + "\"");
    }
    return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static HttpResponse<String> post(URI url, String secret, byte[] body) throws IOException, InterruptedException {
    long ts = Instant.now().getEpochSecond();
    return post(url, "application/json", Long.toString(ts), WebhookSignature.sign(secret, ts, body), body);
  }

  static HttpResponse<String> post(URI url, String contentType, String timestamp, String signature, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (timestamp != null) {
      request.header(WebhookSignature.TIMESTAMP_HEADER, timestamp);
    }
    if (signature != null) {
      request.header(WebhookSignature.SIGNATURE_HEADER, signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
