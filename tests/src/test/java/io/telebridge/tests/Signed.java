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
import java.util.List;

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
   * patient id ({@code pat-1001} in the samples) too, with demographics of a person of its own (so the
   * matcher sees a new person for each test): a new event of a new patient for each test.
   */
  static byte[] event(String sample, String id, String patientId) throws IOException {
    return event(sample, id, patientId, patientId);
  }

  /**
   * As {@link #event(String, String, String)}, with the demographics of {@code person}: two platform
   * patient ids with the same {@code person} are the same human being to the matcher.
   */
  static byte[] event(String sample, String id, String patientId, String person) throws IOException {
    String body = new String(sample(sample), java.nio.charset.StandardCharsets.UTF_8);
    String original = body.replaceAll("(?s)^\\{\\s*\"id\": \"([^\"]+)\".*", "$1");
    body = body.replaceFirst("\"id\": \"" + original + "\"", "\"id\": \"" + id + "\"");
    if (patientId != null) {
      body = body.replace("\"pat-1001\"", "\"" + patientId + "\"");
      body = withPerson(body, person);
    }
    return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static final List<String> GIVEN = List.of("Aurelio", "Bjorn", "Cassius", "Dorian", "Evander",
      "Fitzgerald", "Gunnar", "Horatio", "Ignatius", "Jasper", "Lysander", "Magnus", "Nikolai", "Octavian",
      "Percival", "Quentin", "Rupert", "Thaddeus", "Ulysses", "Wolfgang");
  private static final List<String> STREETS = List.of("Larkspur", "Quince", "Juniper", "Hawthorn", "Bramble",
      "Foxglove", "Marigold", "Thistle", "Yarrow", "Sorrel", "Tamarack", "Wisteria");

  /**
   * Invented demographics derived from a key: a given name, surname, birth date, street address, postcode,
   * phones, email and SSN-4 of its own.
   * The key is hashed with SHA-256 (not {@code String.hashCode}, under which keys one character apart,
   * such as pat-tr-1 and pat-tr-2, gave near-identical people that the matcher rightly linked).
   */
  static String withPerson(String body, String person) {
    long h;
    long g;
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(person.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      h = java.nio.ByteBuffer.wrap(d).getLong() & 0x7fffffffffffffffL;
      g = java.nio.ByteBuffer.wrap(d, 8, 8).getLong() & 0x7fffffffffffffffL;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String given = GIVEN.get((int) (g % GIVEN.size()));
    String street = (10 + (g / 31) % 980) + " " + STREETS.get((int) ((g / 100_000) % STREETS.size())) + " Lane";
    String zip = String.format("0%04d", 1000 + (g / 10_000_000) % 8_999);
    StringBuilder family = new StringBuilder("Zy");
    for (long x = h; family.length() < 9; x /= 26) {
      family.append((char) ('a' + (x % 26)));
    }
    java.time.LocalDate dob = java.time.LocalDate.of(1940, 1, 1).plusDays(h % 25_000);
    String digits = String.format("%04d", h % 10_000);
    return body.replace("O'Connell-Reyes", family.toString())
        .replace("\"Seán\"", "\"" + given + "\"")
        .replace("42 Larkspur Lane", street)
        .replace("\"01103\"", "\"" + zip + "\"")
        .replace("\"1984-07-19\"", "\"" + dob + "\"")
        .replace("+16175550142", "+1617555" + digits)
        .replace("(617) 555-0199", "(413) 555-" + digits)
        .replace("sean.oconnell-reyes@example.org", family.toString().toLowerCase(java.util.Locale.ROOT) + "@example.org")
        .replace("\"ssnLast4\": \"0142\"", "\"ssnLast4\": \"" + digits + "\"");
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
