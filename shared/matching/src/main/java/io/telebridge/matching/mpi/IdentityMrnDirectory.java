package io.telebridge.matching.mpi;

import io.telebridge.core.context.MrnDirectory;
import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.model.Identifier;
import java.util.Map;
import java.util.Optional;

/**
 * The context's MRN lookup on the identity index: the platform patient's cross-reference (LINKED only:
 * a patient parked for review has no chart yet) → its person, following EHR merges (A40) to the
 * survivor → the person's MRN (type {@code MR}) of the tenant's FHIR authority, else its first MRN.
 */
public final class IdentityMrnDirectory implements MrnDirectory {

  private static final int MAX_MERGE_HOPS = 10;

  private final IdentityStore store;
  private final Map<String, String> authorityByTenant;

  /** @param authorityByTenant the assigning authority of the MRNs the tenant's FHIR server knows */
  public IdentityMrnDirectory(IdentityStore store, Map<String, String> authorityByTenant) {
    this.store = store;
    this.authorityByTenant = Map.copyOf(authorityByTenant);
  }

  @Override
  public Optional<Identifier> mrnOf(String tenant, String platformPatientId) {
    Optional<CrossReference> xref = store.xref(tenant, platformPatientId);
    if (xref.isEmpty() || xref.get().state() != CrossReference.State.LINKED || xref.get().personId() == null) {
      return Optional.empty();
    }
    Optional<Person> person = store.person(xref.get().personId());
    for (int hop = 0; person.isPresent() && person.get().mergedInto() != null && hop < MAX_MERGE_HOPS; hop++) {
      person = store.person(person.get().mergedInto());
    }
    if (person.isEmpty() || !tenant.equals(person.get().tenant())) {
      return Optional.empty();
    }
    String authority = authorityByTenant.get(tenant);
    Optional<Identifier> first = Optional.empty();
    for (Identifier id : person.get().identifiers()) {
      if (!"MR".equals(id.typeCode())) {
        continue;
      }
      if (authority != null && authority.equals(id.assigningAuthority())) {
        return Optional.of(id);
      }
      if (first.isEmpty()) {
        first = Optional.of(id);
      }
    }
    return first;
  }
}
