package io.telebridge.core.context;

import io.telebridge.core.fromehr.Code;
import java.util.List;

/**
 * An entry of the problem list (FHIR Condition). Times are kept as the server wrote them (FHIR
 * dateTime, any precision). PHI: {@code toString} shows the FHIR id only.
 *
 * @param clinicalStatus {@code active}, {@code recurrence}, {@code resolved}, ... (Condition.clinicalStatus code)
 */
public record Problem(String fhirId, Code code, String clinicalStatus, String verificationStatus,
    List<Code> categories, String onset, String recordedDate) {

  public Problem {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }

  @Override
  public String toString() {
    return "Problem[fhirId=" + fhirId + ", ***]";
  }
}
