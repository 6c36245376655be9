package io.telebridge.matching;

import java.util.List;

/**
 * The matcher's answer with its evidence. {@code patientId} is the linked patient for LINK, the best
 * candidate for REVIEW, {@code null} for NEW. {@code score} is the best candidate's total weight (or 0
 * with no candidate). {@code candidates} holds the compared patients above the review threshold, best
 * first, each with its field-by-field explanation. Holds ids, outcomes and weights only: no PHI.
 */
public record MatchResult(
    String recordId, Decision decision, String patientId, double score, String reason, List<Comparison> candidates) {

  public MatchResult {
    candidates = List.copyOf(candidates);
  }

  /** A one-line explanation for logs and the audit trail: ids, scores, field names, guards. */
  public String explanation() {
    StringBuilder b = new StringBuilder()
        .append(decision).append(" record=").append(recordId)
        .append(" patient=").append(patientId)
        .append(" score=").append(String.format(java.util.Locale.ROOT, "%.2f", score))
        .append(" reason=").append(reason);
    if (!candidates.isEmpty()) {
      Comparison best = candidates.get(0);
      b.append(" agreed=").append(best.fieldsWith(Outcome.AGREE))
          .append(" partial=").append(best.fieldsWith(Outcome.PARTIAL))
          .append(" disagreed=").append(best.fieldsWith(Outcome.DISAGREE))
          .append(" missing=").append(best.fieldsWith(Outcome.MISSING))
          .append(" guards=").append(best.guards());
    }
    return b.toString();
  }
}
