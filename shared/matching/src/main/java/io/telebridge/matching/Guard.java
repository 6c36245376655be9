package io.telebridge.matching;

/**
 * Conflicting strong evidence that forbids an automatic link, whatever the score. Guards that say
 * "another member of the household" (twin, parent, child, spouse) rule the candidate out; an SSN
 * conflict alone, with everything else agreeing, holds the record for review.
 */
public enum Guard {
  /** Both records carry an SSN last 4 (or national id) and they differ beyond a one-keystroke typo. */
  SSN_CONFLICT,
  /** Both records state a sex (female or male) and they differ. */
  SEX_CONFLICT,
  /** Both birth dates are known, at least a year apart, and no typo or day/month swap explains it. */
  BIRTH_DATE_CONFLICT,
  /** Generational suffixes differ (Jr vs Sr), or only one record has one and the birth dates do not agree. */
  SUFFIX_CONFLICT,
  /** Clearly different given names (not a typo, nickname or initial), no identifier agreeing: twins, spouses, siblings. */
  GIVEN_NAME_CONFLICT,
  /**
   * Nothing else says "another member of the household", but the one difference is what a relative
   * looks like and no agreeing SSN says otherwise: birth years ten or more apart (parent and child
   * of one name, 1939 / 1959), or two real given names close to each other (twins Maria /
   * Mariana). Ruled out like the others: a typo of that kind is rarer than the relative.
   */
  POSSIBLE_RELATIVE;

  /** Whether this guard marks a different person (the candidate is ruled out), not a possible typo. */
  public boolean rulesOut() {
    return this != SSN_CONFLICT;
  }
}
