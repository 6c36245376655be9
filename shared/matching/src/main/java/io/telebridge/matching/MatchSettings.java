package io.telebridge.matching;

/**
 * Thresholds on the total Fellegi–Sunter weight (log2 likelihood ratio): at or above {@code link} a
 * single unguarded candidate is linked; at or above {@code review} the record waits for a person.
 * {@code keyLimit}: a blocking key returning more patients than this is skipped as unselective.
 */
public record MatchSettings(double link, double review, int keyLimit) {

  public static MatchSettings defaults() {
    return new MatchSettings(26.0, 14.0, 200);
  }

  public MatchSettings {
    if (!(review < link)) {
      throw new IllegalArgumentException("review threshold must be below link threshold");
    }
    if (keyLimit < 1) {
      throw new IllegalArgumentException("keyLimit must be positive");
    }
  }
}
