package io.telebridge.core.identity;

import io.telebridge.core.model.Identifier;
import java.util.List;

/**
 * How an incoming platform patient maps to the EHR.
 *
 * @param identifiers what to send as the patient's identifiers (HL7 PID-3): the EHR's MRNs when
 *     known, then the platform id under the platform's assigning authority
 * @param newPatient the EHR does not know this patient yet: register before anything else
 * @param parkedInCase non-null when the event was parked in this review case: send nothing now
 */
public record Resolution(List<Identifier> identifiers, boolean newPatient, String parkedInCase) {

  public Resolution {
    identifiers = List.copyOf(identifiers);
  }

  public Resolution(List<Identifier> identifiers, boolean newPatient) {
    this(identifiers, newPatient, null);
  }

  public static Resolution parked(String caseId) {
    return new Resolution(List.of(), false, caseId);
  }

  public boolean parked() {
    return parkedInCase != null;
  }
}
