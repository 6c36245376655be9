package io.telebridge.core.fromehr;

/** What the conflict rule did with one field of an incoming change. */
public enum FieldDecision {
  /** The value changed and is taken (the platform is told). */
  APPLIED,
  /** Same value as stored, last set by the same system, or the message did not carry the field. */
  UNCHANGED,
  /** The EHR reports the value telebridge itself pushed last: our own change coming back (not looped back). */
  ECHO,
  /** Older than the stored change of that field: out of order, ignored (counted). */
  STALE,
  /** The other system set the field last and the policy says it wins: ignored (counted). */
  KEPT_BY_POLICY;

  public boolean changes() {
    return this == APPLIED;
  }
}
