package io.telebridge.core.intake;

import java.time.Duration;

/**
 * Tunables of the intake use case.
 *
 * @param maxBodyBytes larger bodies are refused with 413 (SQS takes at most 256 KiB with attributes); also the
 *     largest body that travels inline on the intake queue
 * @param signatureTolerance how far the signed timestamp may be from now
 * @param claimLease how long an unfinished claim blocks a concurrent duplicate; at least the function timeout
 * @param retryAfter what a 503 tells the sender to wait
 * @param maxNoteBodyBytes the limit for {@code visit.note_signed} (a long note, a PDF): a body above
 *     {@code maxBodyBytes} is stored in S3 and a claim check is queued in its place. Equal to
 *     {@code maxBodyBytes} when the intake has no payload store.
 */
public record IntakeSettings(
    int maxBodyBytes, Duration signatureTolerance, Duration claimLease, Duration retryAfter, int maxNoteBodyBytes) {

  public static final int DEFAULT_MAX_BODY_BYTES = 240 * 1024;

  /**
   * The default limit of a {@code visit.note_signed} body: 5 MiB. API Gateway's HTTP API takes 10 MB,
   * but Lambda's synchronous invocation payload is 6 MB and it carries the body JSON-escaped inside the
   * API Gateway event, so 5 MiB leaves room for the escaping of an ordinary note.
   */
  public static final int DEFAULT_MAX_NOTE_BODY_BYTES = 5 * 1024 * 1024;

  /** The largest note limit accepted (Lambda's 6 MB synchronous payload, before the event's own overhead). */
  public static final int MAX_NOTE_BODY_BYTES_LIMIT = 6_000_000;

  /** Without a note limit of its own: every type has {@code maxBodyBytes} (no claim check). */
  public IntakeSettings(int maxBodyBytes, Duration signatureTolerance, Duration claimLease, Duration retryAfter) {
    this(maxBodyBytes, signatureTolerance, claimLease, retryAfter, maxBodyBytes);
  }

  public static IntakeSettings defaults() {
    return new IntakeSettings(DEFAULT_MAX_BODY_BYTES, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  public IntakeSettings {
    if (maxBodyBytes <= 0 || maxBodyBytes > 256 * 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be within 1..262144");
    }
    if (maxNoteBodyBytes < maxBodyBytes || maxNoteBodyBytes > MAX_NOTE_BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException("maxNoteBodyBytes must be within maxBodyBytes.." + MAX_NOTE_BODY_BYTES_LIMIT);
    }
  }
}
