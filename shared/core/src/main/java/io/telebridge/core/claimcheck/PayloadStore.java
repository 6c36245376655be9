package io.telebridge.core.claimcheck;

/** Port: where payloads too large for a queue message are kept (S3 in AWS, moto's S3 locally). */
public interface PayloadStore {

  /**
   * Stores {@code payload} under {@code key}, durably, before returning. Writing the same key again
   * (a retry, a replay) overwrites it with the same bytes.
   *
   * @return the claim check that names it
   * @throws io.telebridge.core.error.TransientException when the store is unavailable
   */
  ClaimCheck put(String key, byte[] payload);

  /**
   * The bytes a claim check names, as stored (not yet verified).
   *
   * @throws ClaimCheckException when there is no such object (expired or deleted)
   * @throws io.telebridge.core.error.TransientException when the store is unavailable
   */
  byte[] get(ClaimCheck check);
}
