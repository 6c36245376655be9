package io.telebridge.mllp.listener;

import java.time.Instant;

/**
 * A frame the listener refused (AR), as it goes on the quarantine queue: body = the raw frame text
 * (for an oversize frame: its first bytes, {@code truncated}); attributes reason, sendingFacility
 * and controlId when known, receivedAt, frameBytes. PHI: {@link #toString()} shows ids only.
 *
 * @param reason a fixed code such as {@code missing-msh-10} (never message content)
 * @param bytesBase64 true: {@code body} is the base64 of the frame's bytes as received (a frame its
 *     character set cannot decode: no text would be exact); the copy carries {@code bodyEncoding=base64}
 */
public record QuarantinedFrame(
    String body,
    String reason,
    String sendingFacility,
    String controlId,
    Instant receivedAt,
    long frameBytes,
    boolean truncated,
    boolean bytesBase64) {

  /** A frame kept as text. */
  public QuarantinedFrame(String body, String reason, String sendingFacility, String controlId, Instant receivedAt,
      long frameBytes, boolean truncated) {
    this(body, reason, sendingFacility, controlId, receivedAt, frameBytes, truncated, false);
  }

  @Override
  public String toString() {
    return "QuarantinedFrame[reason=" + reason + ", controlId=" + controlId + ", facility=" + sendingFacility
        + ", frameBytes=" + frameBytes + ", truncated=" + truncated + "]";
  }
}
