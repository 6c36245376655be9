package io.telebridge.local.fhir;

/**
 * The local "HealthLake" door's quota: a token bucket refilled at {@code perSecond} tokens a second, holding at
 * most one second's worth; off (every request passes) at 0. Thread-safe.
 */
final class TokenBucket {

  private int perSecond;
  private double tokens;
  private long at;

  synchronized void perSecond(int rate) {
    perSecond = rate;
    tokens = rate;
    at = System.nanoTime();
  }

  /** Takes a token; false when the bucket is empty (the quota for this second is spent). */
  synchronized boolean take() {
    if (perSecond <= 0) {
      return true;
    }
    long now = System.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - at) / 1e9 * perSecond);
    at = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
