package io.telebridge.core.intake;

import java.time.Duration;

/**
 * Tunables of the intake use case.
 *
 * @param maxBodyBytes larger bodies are refused with 413 (SQS takes at most 256 KiB with attributes)
 * @param signatureTolerance how far the signed timestamp may be from now
 * @param claimLease how long an unfinished claim blocks a concurrent duplicate; at least the function timeout
 * @param retryAfter what a 503 tells the sender to wait
 */
public record IntakeSettings(int maxBodyBytes, Duration signatureTolerance, Duration claimLease, Duration retryAfter) {

  public static final int DEFAULT_MAX_BODY_BYTES = 240 * 1024;

  public static IntakeSettings defaults() {
    return new IntakeSettings(DEFAULT_MAX_BODY_BYTES, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  public IntakeSettings {
    if (maxBodyBytes <= 0 || maxBodyBytes > 256 * 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be within 1..262144");
    }
  }
}
