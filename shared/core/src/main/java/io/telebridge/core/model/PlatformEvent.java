package io.telebridge.core.model;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A webhook event after intake, in canonical form, for the translators. Patient and appointment
 * hold PHI; {@code toString} shows ids only.
 *
 * @param previousStart the old start of a rescheduled appointment (else null)
 * @param previousEnd the old end of a rescheduled appointment (else null)
 * @param cancelledBy who cancelled (patient, provider, platform, ehr) for a cancellation (else null)
 * @param cancellationReason free text (PHI) for a cancellation, may be null
 * @param visit the visit and its note, orders or charges for a {@code visit.*} event (else null)
 */
public record PlatformEvent(
    String eventId,
    EventType type,
    Instant occurredAt,
    String tenant,
    PatientDemographics patient,
    Appointment appointment,
    OffsetDateTime previousStart,
    OffsetDateTime previousEnd,
    String cancelledBy,
    String cancellationReason,
    Visit visit) {

  /** An event without visit data (registration and scheduling events). */
  public PlatformEvent(String eventId, EventType type, Instant occurredAt, String tenant, PatientDemographics patient,
      Appointment appointment, OffsetDateTime previousStart, OffsetDateTime previousEnd, String cancelledBy,
      String cancellationReason) {
    this(eventId, type, occurredAt, tenant, patient, appointment, previousStart, previousEnd, cancelledBy,
        cancellationReason, null);
  }

  @Override
  public String toString() {
    return "PlatformEvent[eventId=" + eventId + ", type=" + type + ", tenant=" + tenant
        + ", patient=" + (patient == null ? null : patient.platformPatientId())
        + ", appointment=" + (appointment == null ? null : appointment.id())
        + ", visit=" + (visit == null ? null : visit.id()) + "]";
  }
}
