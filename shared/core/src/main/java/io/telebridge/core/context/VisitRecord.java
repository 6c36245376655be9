package io.telebridge.core.context;

import io.telebridge.core.model.EventType;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.Visit;
import java.time.Instant;
import java.util.List;

/**
 * One {@code visit.*} event as the record writer needs it: the tenant, the event, the patient's
 * identifiers as resolved (the EHR's MRN when known, the platform id) and the visit. PHI (the visit's
 * note and diagnoses, the MRN): {@code toString} shows ids only.
 */
public record VisitRecord(String tenant, String eventId, EventType type, Instant occurredAt, String platformPatientId,
    List<Identifier> patientIdentifiers, Visit visit) {

  public VisitRecord {
    patientIdentifiers = List.copyOf(patientIdentifiers);
  }

  /** A {@code visit.*} event and the patient's identifiers as the identity step resolved them. */
  public static VisitRecord of(io.telebridge.core.model.PlatformEvent event, List<Identifier> patientIdentifiers) {
    return new VisitRecord(event.tenant(), event.eventId(), event.type(), event.occurredAt(),
        event.patient() == null ? null : event.patient().platformPatientId(), patientIdentifiers, event.visit());
  }

  @Override
  public String toString() {
    return "VisitRecord[tenant=" + tenant + ", eventId=" + eventId + ", type=" + type + ", visit="
        + (visit == null ? null : visit.id()) + "]";
  }
}
