package io.telebridge.mllp.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30),
      RandomGenerator.of("L64X128MixRandom"));

  @Test
  void doublesTheCeilingEachAttemptUpToTheCap() {
    assertEquals(500, backoff.ceiling(1).toMillis());
    assertEquals(1000, backoff.ceiling(2).toMillis());
    assertEquals(2000, backoff.ceiling(3).toMillis());
    assertEquals(30_000, backoff.ceiling(10).toMillis());
    assertEquals(30_000, backoff.ceiling(1000).toMillis());
  }

  @Test
  void drawsFullJitterBetweenZeroAndTheCeiling() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      long ms = backoff.delay(4).toMillis();
      assertTrue(ms >= 0 && ms <= 4000, "out of range: " + ms);
      seen.add(Math.min(3, ms / 1000));
    }
    assertEquals(Set.of(0L, 1L, 2L, 3L), seen, "spread over the whole range");
  }
}
