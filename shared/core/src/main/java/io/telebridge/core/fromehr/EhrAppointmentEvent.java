package io.telebridge.core.fromehr;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Provider;
import java.time.OffsetDateTime;

/**
 * SIU S12/S13/S14/S15/S17/S26 from the EHR. PHI: {@code toString} shows ids only.
 *
 * @param placerId SCH-1: the platform's appointment id when the platform booked it, else null
 * @param fillerId SCH-2: the EHR's appointment id
 * @param start SCH-11.4 (else TQ1-7, AIS/AIP start)
 * @param end SCH-11.5 (else TQ1-8, else start + duration)
 * @param provider AIP-3: the EHR's id (first repetition) and the NPI (the repetition typed NPI)
 * @param fillerStatus SCH-25 as sent (Booked, Cancelled, Deleted, Noshow, ...)
 */
public record EhrAppointmentEvent(
    MessageHeader header,
    Kind kind,
    EhrPatient patient,
    String placerId,
    String fillerId,
    OffsetDateTime start,
    OffsetDateTime end,
    Provider provider,
    String fillerStatus) implements FromEhrMessage {

  /** The trigger and the change it means, with the appointment's status after it. */
  public enum Kind {
    BOOKED("S12", "booked", "booked"),
    RESCHEDULED("S13", "rescheduled", "booked"),
    MODIFIED("S14", "modified", "booked"),
    CANCELLED("S15", "cancelled", "cancelled"),
    DELETED("S17", "deleted", "deleted"),
    NO_SHOW("S26", "no_show", "no_show");

    private final String trigger;
    private final String change;
    private final String status;

    Kind(String trigger, String change, String status) {
      this.trigger = trigger;
      this.change = change;
      this.status = status;
    }

    public String trigger() {
      return trigger;
    }

    /** Wire name of the change in {@code ehr.appointment.changed}. */
    public String change() {
      return change;
    }

    /** The appointment's status after this trigger. */
    public String status() {
      return status;
    }

    public static Kind ofTrigger(String trigger) {
      for (Kind k : values()) {
        if (k.trigger.equals(trigger)) {
          return k;
        }
      }
      return null;
    }
  }

  /** The key the appointment's state is kept under: the placer id, else {@code filler:<SCH-2>}. */
  public String appointmentKey() {
    return placerId != null && !placerId.isBlank() ? placerId : "filler:" + fillerId;
  }

  @Override
  public String toString() {
    return "EhrAppointmentEvent[controlId=" + header.controlId() + ", kind=" + kind + ", placerId=" + placerId
        + ", fillerId=" + fillerId + ", mrn=" + patient.mrn().value() + "]";
  }
}
