package io.telebridge.core.intake;

/** What the intake edge answers. */
public sealed interface IntakeResult {

  /**
   * 202: the event is on the intake queue (now, or by an earlier delivery when {@code replay}).
   * {@code tenant} and {@code patientId} (the platform's opaque id) are for the journal.
   */
  record Accepted(String eventId, String type, boolean replay, String tenant, String patientId)
      implements IntakeResult {}

  /** Any refusal: 4xx for bad requests (nothing changed), 503 for an outage (retry). */
  record Refused(Problem problem) implements IntakeResult {}
}
