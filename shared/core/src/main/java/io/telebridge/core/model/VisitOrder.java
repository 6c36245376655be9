package io.telebridge.core.model;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One order placed during a visit. Instructions and diagnoses are PHI: {@code toString} leaves them out.
 *
 * @param id the platform order id (HL7 placer order number)
 * @param category lab, imaging, referral or medication
 * @param code what is ordered, in the platform's code system (mapped per EHR profile)
 * @param priority routine, urgent or stat
 * @param instructions free text for the performer or the patient; may be null
 * @param orderedAt when it was ordered; null: the event's time
 * @param orderer the ordering provider; may be null
 * @param diagnoses ICD-10-CM codes that justify the order, primary first; may be empty
 * @param cancelled the platform cancelled this order (it was placed by an earlier event)
 */
public record VisitOrder(
    String id,
    String category,
    Coding code,
    String priority,
    String instructions,
    OffsetDateTime orderedAt,
    Provider orderer,
    List<String> diagnoses,
    boolean cancelled) {

  public VisitOrder {
    diagnoses = diagnoses == null ? List.of() : List.copyOf(diagnoses);
  }

  @Override
  public String toString() {
    return "VisitOrder[id=" + id + ", category=" + category + ", code=" + (code == null ? null : code.code())
        + ", priority=" + priority + ", cancelled=" + cancelled + ", instructions=***, diagnoses=***]";
  }
}
