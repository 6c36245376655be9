package io.telebridge.matching;

/** How one field of two records compared. */
public enum Outcome {
  AGREE, PARTIAL, DISAGREE, MISSING
}
