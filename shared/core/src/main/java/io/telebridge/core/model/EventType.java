package io.telebridge.core.model;

/** The webhook event types of api/openapi.yaml. */
public enum EventType {
  PATIENT_REGISTERED("patient.registered"),
  PATIENT_UPDATED("patient.updated"),
  APPOINTMENT_BOOKED("appointment.booked"),
  APPOINTMENT_RESCHEDULED("appointment.rescheduled"),
  APPOINTMENT_CANCELLED("appointment.cancelled"),
  APPOINTMENT_NO_SHOW("appointment.no_show"),
  VISIT_NOTE_SIGNED("visit.note_signed"),
  VISIT_ORDERS_PLACED("visit.orders_placed"),
  VISIT_CHARGES_POSTED("visit.charges_posted");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static EventType fromWire(String name) {
    for (EventType t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown event type: " + name);
  }
}
