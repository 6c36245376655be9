package io.telebridge.core.claimcheck;

import io.telebridge.core.error.RejectedException;

/**
 * A claim check that can never be redeemed as it stands: its object is gone (expired, deleted), or the
 * stored bytes are not the ones it names (size or SHA-256 differ), or the claim check itself is malformed.
 * Rejected: the message goes to its DLQ with this reason (ids and sizes only, never content).
 */
public final class ClaimCheckException extends RejectedException {

  private static final long serialVersionUID = 1L;

  public ClaimCheckException(String message) {
    super(message);
  }
}
