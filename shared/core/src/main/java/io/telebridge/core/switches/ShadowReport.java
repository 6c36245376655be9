package io.telebridge.core.switches;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The shadow comparison of one tenant over a period: per flow, how many messages telebridge held back
 * and how many the EHR sent, how many pair up and agree, and which fields differ how often. Ids,
 * field names and counts only: no values (no PHI).
 */
public record ShadowReport(String tenant, Instant since, Instant until, List<FlowReport> flows) {

  /**
   * @param shadowed messages telebridge would have sent (kept in shadow)
   * @param fromEhr messages the EHR sent over the listener for this flow while it was in shadow
   * @param matched pairs (a shadow message and the EHR's message about the same appointment / patient)
   * @param agreed pairs whose every compared field is equal
   * @param unmatchedShadow shadow messages the EHR never sent a counterpart of (staff did not key it, or not yet)
   * @param unmatchedEhr EHR messages with no shadow counterpart (keyed by staff, never booked on the platform)
   * @param differingFields field name → pairs where it differs
   * @param pairs the pairs (MSH-10s, differing field names), at most {@link ReportShadow#MAX_PAIRS}
   */
  public record FlowReport(String flow, int shadowed, int fromEhr, int matched, int agreed, int unmatchedShadow,
      int unmatchedEhr, Map<String, Integer> differingFields, List<Pair> pairs) {

    /** Agreement among matched pairs, 0..1 (1 when nothing matched yet is not claimed: NaN). */
    public double agreement() {
      return matched == 0 ? Double.NaN : (double) agreed / matched;
    }
  }

  /** One pair: the shadow message's id and the EHR's, and the fields that differ (names only). */
  public record Pair(String shadowId, String ehrId, String matchedBy, List<String> differing) {}
}
