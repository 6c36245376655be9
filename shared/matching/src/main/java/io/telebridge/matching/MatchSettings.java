package io.telebridge.matching;

/**
 * Thresholds on the total Fellegi–Sunter weight (log2 likelihood ratio): at or above {@code link} a
 * single unguarded candidate is linked; at or above {@code review} the record waits for a person.
 * {@code contactLink}: the LINK threshold for a candidate whose own contact (email or phone) agrees
 * while the home differs and the birth date agrees (a moved person: see {@link PatientMatcher}).
 * {@code keyLimit}: a blocking key returning more patients than this is skipped as unselective.
 * {@code weights}: the comparison weights, hand-set unless estimated from the population ({@link MatchWeights}).
 */
public record MatchSettings(double link, double contactLink, double review, int keyLimit, MatchWeights weights) {

  public static MatchSettings defaults() {
    return new MatchSettings(26.0, 20.0, 14.0, 200, MatchWeights.handSet());
  }

  /** With the hand-set weights; a moved person's contact does not lower the LINK threshold. */
  public MatchSettings(double link, double review, int keyLimit) {
    this(link, link, review, keyLimit, MatchWeights.handSet());
  }

  /** The same thresholds with estimated weights. */
  public MatchSettings withWeights(MatchWeights estimated) {
    return new MatchSettings(link, contactLink, review, keyLimit, estimated);
  }

  public MatchSettings {
    weights = weights == null ? MatchWeights.handSet() : weights;
    if (!(review < link) || !(review < contactLink) || contactLink > link) {
      throw new IllegalArgumentException("review < contactLink <= link is required");
    }
    if (keyLimit < 1) {
      throw new IllegalArgumentException("keyLimit must be positive");
    }
  }
}
