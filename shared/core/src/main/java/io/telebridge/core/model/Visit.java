package io.telebridge.core.model;

import java.util.List;

/**
 * The {@code data} of a {@code visit.*} event: the platform visit (encounter) and what it produced.
 * Exactly one of note, orders, charges is filled, by event type. Holds PHI (the note, the
 * diagnoses): {@code toString} shows ids only.
 *
 * @param id the platform visit id (HL7 PV1-19 visit number, FHIR Encounter identifier)
 * @param appointmentId the appointment the visit belongs to; null for on-demand visits
 * @param note {@code visit.note_signed}
 * @param orders {@code visit.orders_placed}
 * @param charges {@code visit.charges_posted}
 */
public record Visit(String id, String appointmentId, VisitNote note, List<VisitOrder> orders, List<VisitCharge> charges) {

  public Visit {
    orders = orders == null ? List.of() : List.copyOf(orders);
    charges = charges == null ? List.of() : List.copyOf(charges);
  }

  @Override
  public String toString() {
    return "Visit[id=" + id + ", appointmentId=" + appointmentId + ", note=" + (note == null ? null : note.id())
        + ", orders=" + orders.stream().map(VisitOrder::id).toList()
        + ", charges=" + charges.stream().map(VisitCharge::id).toList() + "]";
  }
}
