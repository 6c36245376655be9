package io.telebridge.mllp.listener;

import java.time.Instant;

/**
 * A frame the listener refused (AR), as it goes on the quarantine queue: body = the raw frame text
 * (for an oversize frame: its first bytes, {@code truncated}); attributes reason, sendingFacility
 * and controlId when known, receivedAt, frameBytes. PHI: {@link #toString()} shows ids only.
 *
 * @param reason a fixed code such as {@code missing-msh-10} (never message content)
 */
public record QuarantinedFrame(
    String body,
    String reason,
    String sendingFacility,
    String controlId,
    Instant receivedAt,
    long frameBytes,
    boolean truncated) {

  @Override
  public String toString() {
    return "QuarantinedFrame[reason=" + reason + ", controlId=" + controlId + ", facility=" + sendingFacility
        + ", frameBytes=" + frameBytes + ", truncated=" + truncated + "]";
  }
}
