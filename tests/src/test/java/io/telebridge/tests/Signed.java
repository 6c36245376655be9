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

  /**
   * Invented demographics derived from a key: a given name, surname, birth date, street address, phones,
   * email and SSN-4 of its own, so that two keys are two clearly different people to the matcher.
   */
  static String withPerson(String body, String person) {
    long h = ((person.hashCode() & 0xffffffffL) * 2654435761L) & Long.MAX_VALUE; // the product can overflow: keep it non-negative
    String[] givens = {"Anouk", "Bertram", "Cosima", "Dashiell", "Elowen", "Fitzgerald", "Guinevere", "Horatio",
        "Isolde", "Jasper", "Kalinda", "Leopold", "Marisol", "Nikolai", "Ottoline", "Percival"};
    String[] streets = {"Quarry Road", "Juniper Court", "Beacon Hill Drive", "Mill Pond Way", "Orchard Terrace",
        "Kestrel Avenue", "Tamarack Lane", "Wharf Street"};
    StringBuilder family = new StringBuilder();
    String consonants = "bdfgklmnprstvz";
    String vowels = "aeiou";
    long x = h;
    for (int i = 0; i < 4; i++) {
      family.append(consonants.charAt((int) (x % consonants.length())));
      x /= consonants.length();
      family.append(vowels.charAt((int) (x % vowels.length())));
      x /= vowels.length();
    }
    family.setCharAt(0, Character.toUpperCase(family.charAt(0)));
    java.time.LocalDate dob = java.time.LocalDate.of(1940, 1, 1).plusDays((h >>> 7) % 25_000);
    String digits = String.format("%04d", (h >>> 11) % 10_000);
    String given = givens[(int) ((h >>> 17) % givens.length)];
    String street = (1 + (h >>> 21) % 980) + " " + streets[(int) ((h >>> 31) % streets.length)];
    // the PHI scan after the suite looks for every value generated here in the collected logs
    PhiScan.record("name", family.toString());
    PhiScan.record("name", given);
    PhiScan.record("birth date", dob.toString());
    PhiScan.record("address", street);
    PhiScan.record("phone", "+1617555" + digits);
    PhiScan.record("phone", "(413) 555-" + digits);
    return body.replace("O'Connell-Reyes", family.toString())
        .replace("\"Seán\"", "\"" + given + "\"")
        .replace("\"1984-07-19\"", "\"" + dob + "\"")
        .replace("42 Larkspur Lane", street)
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
