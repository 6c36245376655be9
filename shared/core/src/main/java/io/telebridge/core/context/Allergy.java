package io.telebridge.core.context;

import io.telebridge.core.fromehr.Code;
import java.util.List;

/**
 * An AllergyIntolerance with its criticality ({@code low}, {@code high}, {@code unable-to-assess}) and
 * reactions. PHI: {@code toString} shows the FHIR id only.
 */
public record Allergy(String fhirId, Code substance, String clinicalStatus, String verificationStatus,
    String type, List<String> categories, String criticality, List<Reaction> reactions, String recordedDate) {

  public Allergy {
    categories = categories == null ? List.of() : List.copyOf(categories);
    reactions = reactions == null ? List.of() : List.copyOf(reactions);
  }

  /** One reaction: manifestations (coded), severity ({@code mild}, {@code moderate}, {@code severe}). */
  public record Reaction(List<Code> manifestations, String severity, String description) {
    public Reaction {
      manifestations = manifestations == null ? List.of() : List.copyOf(manifestations);
    }
  }

  @Override
  public String toString() {
    return "Allergy[fhirId=" + fhirId + ", ***]";
  }
}
