package io.telebridge.core.intake;

/** What the intake edge answers. */
public sealed interface IntakeResult {

  /** 202: the event is on the intake queue (now, or by an earlier delivery when {@code replay}). */
  record Accepted(String eventId, String type, boolean replay) implements IntakeResult {}

  /** Any refusal: 4xx for bad requests (nothing changed), 503 for an outage (retry). */
  record Refused(Problem problem) implements IntakeResult {}
}
