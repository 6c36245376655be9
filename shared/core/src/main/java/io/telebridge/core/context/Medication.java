package io.telebridge.core.context;

import io.telebridge.core.fromehr.Code;

/**
 * A medication the patient takes: a MedicationRequest (an order) or a MedicationStatement (what the
 * patient reports), with the dose as text (Dosage.text, else built from the structured dose by the
 * adapter). PHI: {@code toString} shows the FHIR id only.
 *
 * @param resourceType {@code MedicationRequest} or {@code MedicationStatement}
 * @param date authoredOn (request) or effective / dateAsserted (statement), as written
 */
public record Medication(String fhirId, String resourceType, Code medication, String status, String intent,
    String dosageText, String date) {

  @Override
  public String toString() {
    return "Medication[" + resourceType + "/" + fhirId + ", ***]";
  }
}
