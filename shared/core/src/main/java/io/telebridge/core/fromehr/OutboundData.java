package io.telebridge.core.fromehr;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.Provider;
import java.time.OffsetDateTime;
import java.util.List;

/** The type-specific payload of an {@link OutboundEvent}. */
public sealed interface OutboundData {

  /**
   * {@code ehr.result.available}.
   *
   * @param replaces for a correction: the id of the result it replaces (the platform keeps one
   *     result per id; the correction carries the same id), else null
   */
  record ResultAvailable(Result result, boolean correction, String replaces) implements OutboundData {}

  /** {@code ehr.patient.updated}: the patient as the EHR now describes them (A08, A31). */
  record PatientUpdated(String trigger, EhrPatient patient) implements OutboundData {}

  /**
   * {@code ehr.appointment.changed}: the appointment as it stands after the change (snapshot), what
   * the EHR did ({@code change}: booked, rescheduled, modified, cancelled, deleted, no_show) and which
   * fields changed from the platform's point of view.
   */
  record AppointmentChanged(String change, List<String> changedFields, AppointmentSnapshot appointment)
      implements OutboundData {
    public AppointmentChanged {
      changedFields = List.copyOf(changedFields);
    }
  }

  /** {@code ehr.patients.merged}: the chart {@code merged} was merged into {@code surviving}. */
  record PatientsMerged(Identifier surviving, Identifier merged) implements OutboundData {}

  /** An appointment as the platform should now show it. No PHI (ids, times, provider, status). */
  record AppointmentSnapshot(
      String id, String ehrId, OffsetDateTime start, OffsetDateTime end, Provider provider, String status) {}
}
