package io.telebridge.core.model;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * One appointment as the platform sees it after an event. {@code id} is the platform's (HL7 placer
 * id), {@code ehrId} the EHR's once known (filler id). The reason is patient-entered free text:
 * PHI, so {@code toString} leaves it out.
 */
public record Appointment(
    String id,
    String ehrId,
    OffsetDateTime start,
    OffsetDateTime end,
    ZoneId timeZone,
    Provider provider,
    String visitType,
    String reason,
    String status,
    String modality) {

  public Duration duration() {
    return Duration.between(start, end);
  }

  @Override
  public String toString() {
    return "Appointment[id=" + id + ", ehrId=" + ehrId + ", start=" + start + ", visitType=" + visitType
        + ", status=" + status + ", reason=***]";
  }
}
