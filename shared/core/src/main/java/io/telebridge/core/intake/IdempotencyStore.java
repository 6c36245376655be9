package io.telebridge.core.intake;

import java.time.Instant;

/**
 * Port: remembers which event ids were accepted, far beyond SQS's five-minute deduplication window.
 *
 * <p>Protocol: {@link #claim} a key before enqueueing; {@link #complete} it once the queue accepted
 * the event; {@link #release} it when enqueueing failed, so a later retry is not refused. A claim
 * that was neither completed nor released (a crash) lapses at its lease time.
 */
public interface IdempotencyStore {

  /**
   * Claims a key with one conditional write.
   *
   * @param bodyHash hash of the request body, to tell a retry from an id reused for other content
   * @throws io.telebridge.core.error.TransientException when the store is unavailable
   */
  Claim claim(String key, String bodyHash, Instant now);

  /** Marks a claimed key done (kept until the retention period ends). */
  void complete(String key, String token, String messageId, Instant now);

  /** Gives a claim up, only if it is still ours; best effort. */
  void release(String key, String token);

  /** What a claim found. */
  sealed interface Claim {
    /** The key is now ours; {@code token} proves it in complete/release. */
    record Claimed(String token) implements Claim {}

    /** Accepted before, with a body of this hash. */
    record Completed(String bodyHash) implements Claim {}

    /** Another request holds a live claim until {@code leaseUntil}. */
    record InProgress(Instant leaseUntil) implements Claim {}
  }
}
