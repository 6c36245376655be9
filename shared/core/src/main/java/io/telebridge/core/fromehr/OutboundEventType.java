package io.telebridge.core.fromehr;

/** The events telebridge sends to the platform (wire names as in api/openapi.yaml {@code webhooks}). */
public enum OutboundEventType {
  RESULT_AVAILABLE("ehr.result.available"),
  PATIENT_UPDATED("ehr.patient.updated"),
  APPOINTMENT_CHANGED("ehr.appointment.changed"),
  PATIENTS_MERGED("ehr.patients.merged");

  private final String wireName;

  OutboundEventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
