package io.telebridge.matching.mpi;

import io.telebridge.core.model.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * A person in the identity index: one EHR chart (or one registration on its way to becoming one).
 * Ids only: the person's demographics live in its filed records.
 *
 * @param identifiers how the EHR knows the person (HL7 PID-3): MRNs first; for a person telebridge
 *     registered, the platform id it was registered under until the EHR's MRN comes back
 * @param mergedInto the surviving person after an EHR merge (A40), else {@code null}
 */
public record Person(String personId, String tenant, List<Identifier> identifiers, String mergedInto, Instant createdAt) {

  public Person {
    identifiers = List.copyOf(identifiers);
  }

  public boolean hasMrn() {
    return identifiers.stream().anyMatch(i -> "MR".equals(i.typeCode()));
  }

  public Person withIdentifiers(List<Identifier> ids) {
    return new Person(personId, tenant, ids, mergedInto, createdAt);
  }

  public Person mergedInto(String survivor) {
    return new Person(personId, tenant, identifiers, survivor, createdAt);
  }
}
