package io.telebridge.mllp.sim;

/** What the simulator does with a message it received. */
public enum Answer {
  /** Application accept (the default). */
  AA,
  /** Application error, with an ERR segment. */
  AE,
  /** Application reject, with an ERR segment. */
  AR,
  /** Commit accept (enhanced mode). */
  CA,
  /** Commit error. */
  CE,
  /** Commit reject. */
  CR,
  /** Close the connection without answering. */
  DROP,
  /** Answer AA, but with an MSA-2 that is not the message's MSH-10 (a broken peer). */
  WRONG_CONTROL_ID,
  /** Never answer; keep the connection open. */
  SILENT;

  public boolean isError() {
    return this == AE || this == AR || this == CE || this == CR;
  }
}
