package io.telebridge.core.identity;

import io.telebridge.core.model.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * What telebridge knows links one platform patient to the EHR: the EHR identifiers (MRNs) once the
 * EHR has told us, and which event registered the patient (so a redelivered registration is
 * recognised as the same registration, not a second one). Ids only: no PHI.
 */
public record CrossReference(
    String tenant, String platformPatientId, List<Identifier> ehrIdentifiers, String registeredByEvent, Instant createdAt) {

  public CrossReference {
    ehrIdentifiers = ehrIdentifiers == null ? List.of() : List.copyOf(ehrIdentifiers);
  }
}
