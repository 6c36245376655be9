package io.telebridge.mllp.bridge;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * attempt n waits a uniformly random time in [0, min(cap, base * 2^(n-1))]. Spreads reconnects of
 * several tasks after an EHR outage instead of stampeding.
 */
public final class Backoff {

  private final Duration base;
  private final Duration cap;
  private final RandomGenerator random;

  public Backoff(Duration base, Duration cap, RandomGenerator random) {
    this.base = base;
    this.cap = cap;
    this.random = random;
  }

  /** The upper bound for attempt {@code n} (n >= 1). */
  public Duration ceiling(int attempt) {
    int shift = Math.max(0, Math.min(30, attempt - 1));
    long ms = base.toMillis() << shift;
    if (ms < 0 || ms > cap.toMillis()) {
      ms = cap.toMillis();
    }
    return Duration.ofMillis(ms);
  }

  /** A random delay in [0, ceiling(attempt)]. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis(ceiling <= 0 ? 0 : random.nextLong(ceiling + 1));
  }
}
