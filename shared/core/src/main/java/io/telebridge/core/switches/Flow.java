package io.telebridge.core.switches;

import java.util.Locale;

/**
 * The flows an operator switches on, off or to shadow per tenant (issue 14 §6). To the EHR: by the HL7
 * message built ({@link #ofHl7}); to the platform: by the event delivered ({@link #ofPlatformEvent}).
 */
public enum Flow {
  /** ADT^A04/A08 to the EHR (patient.registered, patient.updated, a new patient's first booking). */
  REGISTRATION("registration"),
  /** SIU^S12/S13/S14/S15/S26 to the EHR. */
  SCHEDULING("scheduling"),
  /** The EHR's schedule changes back to the platform (ehr.appointment.changed). */
  SCHEDULE_CHANGES("schedule-changes"),
  /** Results back to the platform (ehr.result.available). */
  RESULTS("results"),
  /** Demographics back to the platform (ehr.patient.updated, ehr.patients.merged). */
  DEMOGRAPHICS("demographics"),
  /** Clinical context to the platform (patient.context.*): the context function asks it before it pulls (PullContext). */
  CONTEXT("context"),
  /** MDM^T02/T08/T10/T11 to the EHR. */
  NOTE("note"),
  /** ORM^O01 / OML^O21 to the EHR. */
  ORDERS("orders"),
  /** DFT^P03 to the EHR. */
  CHARGES("charges");

  private final String wire;

  Flow(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Flow fromWire(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Flow f : values()) {
      if (f.wire.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown flow '" + name + "' (one of registration, scheduling, schedule-changes,"
        + " results, demographics, context, note, orders, charges)");
  }

  /** The to-EHR flow of an HL7 message type ({@code SIU^S12} → scheduling), or null for a type no flow sends. */
  public static Flow ofHl7(String messageType) {
    if (messageType == null || messageType.length() < 3) {
      return null;
    }
    return switch (messageType.substring(0, 3).toUpperCase(Locale.ROOT)) {
      case "ADT" -> REGISTRATION;
      case "SIU" -> SCHEDULING;
      case "MDM" -> NOTE;
      case "ORM", "OML" -> ORDERS;
      case "DFT" -> CHARGES;
      default -> null;
    };
  }

  /**
   * The to-EHR flow of a visit event written to the FHIR record ({@code visit.note_signed} → note), or null
   * for another type: the same switch holds the event's MDM/ORM/DFT and its FHIR resources.
   */
  public static Flow ofVisitEvent(String eventType) {
    if (eventType == null) {
      return null;
    }
    return switch (eventType) {
      case "visit.note_signed" -> NOTE;
      case "visit.orders_placed" -> ORDERS;
      case "visit.charges_posted" -> CHARGES;
      default -> null;
    };
  }

  /** The return-path flow of a platform-bound event type ({@code ehr.result.available} → results), or null. */
  public static Flow ofPlatformEvent(String eventType) {
    if (eventType == null) {
      return null;
    }
    if (eventType.startsWith("patient.context.")) {
      return CONTEXT;
    }
    return switch (eventType) {
      case "ehr.appointment.changed" -> SCHEDULE_CHANGES;
      case "ehr.result.available" -> RESULTS;
      case "ehr.patient.updated", "ehr.patients.merged" -> DEMOGRAPHICS;
      default -> null;
    };
  }
}
