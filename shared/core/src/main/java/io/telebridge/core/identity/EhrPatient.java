package io.telebridge.core.identity;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import java.util.List;

/**
 * A patient as the EHR describes it (an ADT A04/A08/A28/A31 PID, a bulk-load row, a FHIR Patient):
 * its identifiers (MRN first) and its demographics. {@code demographics.platformPatientId()} is the
 * platform's id when the EHR echoes it in PID-3, else null. PHI: {@code toString} shows ids only.
 */
public record EhrPatient(List<Identifier> identifiers, PatientDemographics demographics) {

  public EhrPatient {
    identifiers = List.copyOf(identifiers);
    if (identifiers.isEmpty()) {
      throw new IllegalArgumentException("an EHR patient needs at least one identifier");
    }
  }

  /** The identifier the index keys the patient by: the first MR-typed one, else the first. */
  public Identifier mrn() {
    return identifiers.stream().filter(i -> "MR".equals(i.typeCode())).findFirst().orElse(identifiers.get(0));
  }

  @Override
  public String toString() {
    return "EhrPatient[identifiers=" + identifiers + ", ***]";
  }
}
