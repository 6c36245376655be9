package io.telebridge.core.toplatform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryDelaysTest {

  private static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static RetryDelays delays(double jitter) {
    return new RetryDelays(RetryDelays.DEFAULT_MAX, CLOCK, () -> jitter);
  }

  @Test
  void backoffDoublesWithTheReceiveCountBetweenHalfAndAllOfTwoToTheN() {
    assertEquals(Duration.ofSeconds(1), delays(0.0).backoff(1));
    assertEquals(Duration.ofSeconds(2), delays(0.9995).backoff(1), "whole seconds, rounded up");
    assertEquals(Duration.ofSeconds(2), delays(0.0).backoff(2));
    assertEquals(Duration.ofSeconds(3), delays(0.5).backoff(2));
    assertEquals(Duration.ofSeconds(256), delays(0.0).backoff(9));
  }

  @Test
  void backoffIsCappedAtTheMaximumWhateverTheCount() {
    assertEquals(Duration.ofSeconds(900), delays(0.99999).backoff(10));
    assertEquals(Duration.ofSeconds(450), delays(0.0).backoff(12), "the cap's own jitter range: 450..900 s");
    assertEquals(Duration.ofSeconds(900), delays(0.99999).backoff(1000));
    RetryDelays small = new RetryDelays(Duration.ofSeconds(10), CLOCK, () -> 0.99999);
    assertEquals(Duration.ofSeconds(10), small.backoff(8));
  }

  @Test
  void neverLessThanOneSecond() {
    assertEquals(Duration.ofSeconds(1), delays(0.0).backoff(0));
    assertEquals(Duration.ofSeconds(1), delays(0.0).next(1, Optional.of("0")));
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), RetryDelays.parseRetryAfter("120", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(2)), RetryDelays.parseRetryAfter(" 2 ", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(90)), RetryDelays.parseRetryAfter("Wed, 25 Nov 2026 17:01:30 GMT", NOW));
    assertEquals(Optional.of(Duration.ZERO), RetryDelays.parseRetryAfter("Wed, 25 Nov 2026 16:00:00 GMT", NOW),
        "a date in the past means now");
    assertEquals(Optional.empty(), RetryDelays.parseRetryAfter("-5", NOW));
    assertEquals(Optional.empty(), RetryDelays.parseRetryAfter("1.5", NOW));
    assertEquals(Optional.empty(), RetryDelays.parseRetryAfter("tomorrow", NOW));
    assertEquals(Optional.empty(), RetryDelays.parseRetryAfter("", NOW));
  }

  @Test
  void retryAfterWinsOverBackoffAndIsCapped() {
    assertEquals(Duration.ofSeconds(2), delays(0.0).next(9, Optional.of("2")));
    assertEquals(Duration.ofSeconds(900), delays(0.0).next(1, Optional.of("99999999999999999999999")));
    assertEquals(Duration.ofSeconds(900), delays(0.0).next(1, Optional.of("Thu, 26 Nov 2026 17:00:00 GMT")));
    assertTrue(delays(0.0).next(3, Optional.empty()).equals(Duration.ofSeconds(4)), "no header: backoff");
  }
}
