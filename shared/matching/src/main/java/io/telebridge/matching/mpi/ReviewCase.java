package io.telebridge.matching.mpi;

import java.time.Instant;
import java.util.List;

/**
 * A possible match a person decides. Ids, scores and field names only: the demographics are read
 * from the parked event and the candidates' records on explicit request.
 *
 * @param reason the matcher's reason (possible_match, several_certain_matches, nickname_or_relative, guard_..., uncorroborated, no_demographics)
 * @param explanation the matcher's one-line explanation (ids, scores, field names, guards)
 * @param resolution {@code LINK:<personId>} or {@code NEW:<personId>} once decided
 * @param replayed how many parked events have been translated after the resolution
 */
public record ReviewCase(
    String caseId,
    String tenant,
    String platformPatientId,
    String firstEventId,
    Status status,
    String reason,
    double score,
    List<Candidate> candidates,
    String explanation,
    Instant createdAt,
    String resolution,
    String resolvedBy,
    Instant resolvedAt,
    int replayed) {

  public enum Status { OPEN, REPLAYING, RESOLVED }

  /** A candidate person with its score and field-by-field explanation. */
  public record Candidate(String personId, double score, String agreed, String disagreed, String missing, String guards) {}

  public ReviewCase {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }

  public ReviewCase resolved(Status newStatus, String how, String by, Instant at) {
    return new ReviewCase(caseId, tenant, platformPatientId, firstEventId, newStatus, reason, score, candidates,
        explanation, createdAt, how, by, at, replayed);
  }

  public ReviewCase withStatus(Status newStatus) {
    return new ReviewCase(caseId, tenant, platformPatientId, firstEventId, newStatus, reason, score, candidates,
        explanation, createdAt, resolution, resolvedBy, resolvedAt, replayed);
  }

  public ReviewCase withReplayed(int n) {
    return new ReviewCase(caseId, tenant, platformPatientId, firstEventId, status, reason, score, candidates,
        explanation, createdAt, resolution, resolvedBy, resolvedAt, n);
  }
}
