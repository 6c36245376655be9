package io.telebridge.core.fromehr;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import java.time.OffsetDateTime;

/**
 * ADT A04/A08/A28/A31/A40 from the EHR. PHI: {@code toString} shows ids only.
 *
 * @param priorMrn A40 only: MRG-1, the chart merged into {@code patient.mrn()}
 * @param recordedAt EVN-2, else MSH-7
 */
public record EhrPatientEvent(
    MessageHeader header, Kind kind, EhrPatient patient, Identifier priorMrn, OffsetDateTime recordedAt)
    implements FromEhrMessage {

  public enum Kind {
    REGISTERED("A04"),
    UPDATED("A08"),
    PERSON_ADDED("A28"),
    PERSON_UPDATED("A31"),
    MERGED("A40");

    private final String trigger;

    Kind(String trigger) {
      this.trigger = trigger;
    }

    public String trigger() {
      return trigger;
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

  @Override
  public String toString() {
    return "EhrPatientEvent[controlId=" + header.controlId() + ", kind=" + kind + ", mrn=" + patient.mrn().value()
        + (priorMrn == null ? "" : ", priorMrn=" + priorMrn.value()) + "]";
  }
}
