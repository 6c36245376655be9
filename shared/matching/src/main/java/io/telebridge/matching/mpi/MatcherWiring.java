package io.telebridge.matching.mpi;

import io.telebridge.matching.CandidateIndex;
import java.time.Clock;
import java.util.Map;

/**
 * The matcher's EHR-patient use case wired on an identity store. Composition roots (a function's
 * wiring, the local bench, the integration tests) build it here; the storage adapters (shared/aws)
 * only provide the {@link IdentityStore} and {@link CandidateIndex} and never wire the matcher
 * themselves (the layering test in tests/ fails the build otherwise).
 */
public final class MatcherWiring {

  /** The platform's PID-3 assigning authority when none is configured (the bundled EHR profile's). */
  public static final String DEFAULT_PLATFORM_AUTHORITY = "TELEHEALTH";

  private MatcherWiring() {}

  /**
   * @param tenantAuthorities each tenant's platform assigning authority (an echo under another is not one)
   */
  public static MatchingEhrPatientIndex ehrPatientIndex(IdentityStore store, CandidateIndex index,
      String platformAuthority, Map<String, String> tenantAuthorities, Clock clock) {
    return new MatchingEhrPatientIndex(store,
        new MatchingPatientResolver(store, index, platformAuthority, tenantAuthorities, clock), clock);
  }

  /** With the default platform authority, no tenant authorities and the system clock. */
  public static MatchingEhrPatientIndex ehrPatientIndex(IdentityStore store, CandidateIndex index) {
    return ehrPatientIndex(store, index, DEFAULT_PLATFORM_AUTHORITY, Map.of(), Clock.systemUTC());
  }
}
