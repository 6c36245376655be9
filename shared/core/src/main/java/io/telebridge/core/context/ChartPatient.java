package io.telebridge.core.context;

import io.telebridge.core.identity.EhrPatient;

/**
 * The FHIR Patient the MRN resolved to: its server id and the patient as the EHR describes them
 * (identifiers, demographics). PHI: {@code toString} shows the FHIR id only.
 */
public record ChartPatient(String fhirId, EhrPatient patient) {

  @Override
  public String toString() {
    return "ChartPatient[fhirId=" + fhirId + ", ***]";
  }
}
