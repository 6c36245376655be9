package io.telebridge.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Copies of a sample event (by default {@code events/appointment.booked.json}), each with a
 * unique {@code id} and one of a few patient ids, otherwise the sample's exact bytes (same
 * formatting, same size give or take the id's length).
 */
final class BenchEvents {

  static final String DEFAULT_EVENT = "events/appointment.booked.json";

  private final String text;
  private final String idLiteral;
  private final String patientLiteral;
  private final String runPrefix;
  private final int patients;

  BenchEvents(Path file, int patients) {
    try {
      this.text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    JsonNode root = JsonMapper.builder().build().readTree(text);
    String id = root.path("id").asString(null);
    String patient = root.path("patient").path("id").asString(null);
    if (id == null || patient == null) {
      throw new IllegalArgumentException(file + " has no id or patient.id");
    }
    this.idLiteral = "\"" + id + "\"";
    this.patientLiteral = "\"" + patient + "\"";
    if (!text.contains(idLiteral) || !text.contains(patientLiteral) || idLiteral.equals(patientLiteral)) {
      throw new IllegalArgumentException(file + ": cannot find the id / patient id literally");
    }
    // unique per run, so repeated runs against one long-lived stack never replay
    this.runPrefix = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    this.patients = Math.max(1, patients);
  }

  static Path defaultFile() {
    return BenchArgs.repoRoot().resolve(DEFAULT_EVENT);
  }

  String eventId(int n) {
    return runPrefix + "-" + n;
  }

  /** Copy number {@code n}: id {@code bench-<run>-<n>}, patient {@code bench-pat-<n mod patients>}. */
  byte[] body(int n) {
    return body(n, "bench-pat-" + (n % patients));
  }

  /** Copy number {@code n} (id {@code bench-<run>-<n>}) for this patient id. */
  byte[] body(int n, String patientId) {
    String out = text.replaceFirst(java.util.regex.Pattern.quote(idLiteral),
        java.util.regex.Matcher.quoteReplacement("\"" + eventId(n) + "\""));
    out = out.replaceFirst(java.util.regex.Pattern.quote(patientLiteral),
        java.util.regex.Matcher.quoteReplacement("\"" + patientId + "\""));
    return out.getBytes(StandardCharsets.UTF_8);
  }

  /** A patient id unique to this run: {@code bench-<run>-p<k>}. */
  String runPatient(int k) {
    return runPrefix + "-p" + k;
  }
}
