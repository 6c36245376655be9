package io.telebridge.core.toplatform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long a failed delivery waits before its next attempt.
 *
 * <ul>
 *   <li>The platform sent {@code Retry-After} (RFC 9110: delay-seconds, or an HTTP-date): that
 *       long, capped at {@link #max()}.
 *   <li>Otherwise exponential backoff from the receive count n: 2^n seconds with "equal jitter"
 *       (between half and all of it, so a burst of failures spreads out), capped at {@link #max()}:
 *       1-2 s after the first attempt, 2-4 s after the second, … 512-1024 → capped after the tenth.
 * </ul>
 *
 * Whole seconds, never less than one (a {@code Retry-After: 0} from a flapping platform must not
 * turn the queue into a busy loop).
 */
public final class RetryDelays {

  /** The default cap: 15 minutes (SQS allows visibility timeouts up to 12 hours). */
  public static final Duration DEFAULT_MAX = Duration.ofSeconds(900);
  static final Duration MIN = Duration.ofSeconds(1);

  private final Duration max;
  private final Clock clock;
  private final DoubleSupplier random;

  /**
   * @param random values in [0, 1) for the jitter ({@code Math::random} in production, fixed in tests)
   */
  public RetryDelays(Duration max, Clock clock, DoubleSupplier random) {
    if (max.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("the maximum retry delay must be at least 1 s");
    }
    this.max = max;
    this.clock = clock;
    this.random = random;
  }

  public Duration max() {
    return max;
  }

  /** The delay before the next attempt: the platform's {@code Retry-After} when it gave a valid one, else backoff. */
  public Duration next(int receiveCount, Optional<String> retryAfter) {
    return retryAfter.flatMap(value -> parseRetryAfter(value, clock.instant()))
        .map(this::bounded)
        .orElseGet(() -> backoff(receiveCount));
  }

  /** Exponential backoff with equal jitter: 2^n s × [0.5, 1), capped. */
  public Duration backoff(int receiveCount) {
    int n = Math.clamp(receiveCount, 1, 30);
    long ceilingMillis = Math.min(1000L << n, max.toMillis());
    double r = Math.clamp(random.getAsDouble(), 0.0, 1.0);
    long millis = ceilingMillis / 2 + (long) (r * (ceilingMillis / 2.0));
    return bounded(Duration.ofMillis(millis));
  }

  /** Whole seconds (rounded up: SQS visibility timeouts are seconds), within [1 s, max]. */
  private Duration bounded(Duration d) {
    long millis = d.toMillis();
    d = Duration.ofSeconds(millis / 1000 + (millis % 1000 == 0 ? 0 : 1));
    if (d.compareTo(MIN) < 0) {
      return MIN;
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /**
   * Reads a {@code Retry-After} value: {@code 120} (seconds) or {@code Wed, 25 Nov 2026 17:00:00 GMT}
   * (an HTTP-date; a date in the past means now). Empty when it is neither.
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException tooLong) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1000)); // absurdly far: the cap applies
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
