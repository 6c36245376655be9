package io.telebridge.core.identity;

/**
 * Port (the identity step of every to-EHR flow): which EHR patient an incoming platform patient is.
 * The implementation matches demographics against the identity index (shared/matching).
 */
public interface PatientResolver {

  /**
   * @throws io.telebridge.core.error.TransientException when the index is unavailable
   */
  Resolution resolve(ResolveRequest request);
}
