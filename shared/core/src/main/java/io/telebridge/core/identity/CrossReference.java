package io.telebridge.core.identity;

import java.time.Instant;

/**
 * What links one platform patient to a person in the identity index (and through the person to the
 * EHR's identifiers). Ids only: no PHI.
 *
 * @param personId the index's person, {@code null} while the patient is parked for review
 * @param state LINKED: events resolve through {@code personId}; PARKED: a review case is open and every
 *     event of this patient waits in it; REPLAYING: the case was resolved and its parked events are
 *     being translated in order, new events still queue behind them
 * @param reviewCaseId the open (or last) review case
 * @param registeredByEvent the event whose NEW decision created the person for this patient (a
 *     redelivery of it re-emits the registration); {@code null} when the patient was linked
 * @param parkedCount how many events were parked in the review case so far
 */
public record CrossReference(
    String tenant,
    String platformPatientId,
    String personId,
    State state,
    String reviewCaseId,
    String registeredByEvent,
    int parkedCount,
    Instant createdAt) {

  public enum State { LINKED, PARKED, REPLAYING }

  public static CrossReference linked(String tenant, String platformPatientId, String personId,
      String registeredByEvent, Instant now) {
    return new CrossReference(tenant, platformPatientId, personId, State.LINKED, null, registeredByEvent, 0, now);
  }

  public CrossReference withPerson(String person, State newState) {
    return new CrossReference(tenant, platformPatientId, person, newState, reviewCaseId, registeredByEvent, parkedCount,
        createdAt);
  }

  public CrossReference withRegisteredByEvent(String eventId) {
    return new CrossReference(tenant, platformPatientId, personId, state, reviewCaseId, eventId, parkedCount, createdAt);
  }
}
