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
    String cancellationReason) {

  @Override
  public String toString() {
    return "PlatformEvent[eventId=" + eventId + ", type=" + type + ", tenant=" + tenant
        + ", patient=" + (patient == null ? null : patient.platformPatientId())
        + ", appointment=" + (appointment == null ? null : appointment.id()) + "]";
  }
}
