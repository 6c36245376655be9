package io.telebridge.core.identity;

import io.telebridge.core.model.PatientDemographics;

/**
 * One event's patient to resolve.
 *
 * @param rawEvent the event's exact JSON, kept if the event has to be parked for review (PHI)
 * @param resumedFromCase the review case this event is replayed from, {@code null} for a live event
 */
public record ResolveRequest(
    String tenant, PatientDemographics patient, String eventId, String rawEvent, String resumedFromCase) {

  @Override
  public String toString() {
    return "ResolveRequest[tenant=" + tenant + ", eventId=" + eventId + ", resumedFromCase=" + resumedFromCase + ", ***]";
  }
}
