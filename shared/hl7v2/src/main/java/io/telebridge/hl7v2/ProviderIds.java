package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Provider;
import java.util.List;

/**
 * A platform provider as the repetitions of an XCN field (AIP-3, PV1-7, TXA-5/9/10, ORC-12, OBR-16,
 * FT1-20/21): the EHR provider id from the profile's {@code providers.ids} (authority {@code provider}),
 * then the NPI (authority {@code npi}, type {@code NPI}). An unmapped provider is refused, or sent by
 * NPI alone when {@code providers.unmapped} is {@code npi_only}. The display name is never sent.
 */
final class ProviderIds {

  /** One XCN repetition: XCN-1 id, XCN-9 assigning authority, XCN-13 identifier type. */
  record Id(String value, String authority, String typeCode) {}

  /** Gives the XCN of a repetition. */
  interface Repetitions {
    XCN get(int rep) throws HL7Exception;
  }

  private ProviderIds() {}

  /** The XCN repetitions of a provider (not null). */
  static List<Id> of(EhrProfile profile, PlatformEvent event, Provider provider) {
    EhrProfile.Authority npiAuthority = profile.authorities().npi();
    Id npi = provider.npi() == null || provider.npi().isBlank()
        ? null
        : new Id(provider.npi(),
            npiAuthority == null ? "NPI" : npiAuthority.namespaceId(),
            npiAuthority == null ? "NPI" : npiAuthority.typeCodeOr("NPI"));
    String ehrId = provider.id() == null ? null : profile.providers().ids().get(provider.id());
    if (ehrId == null) {
      if (profile.providers().unmapped() == EhrProfile.UnmappedProvider.NPI_ONLY && npi != null) {
        return List.of(npi);
      }
      throw new UntranslatableEventException("event " + event.eventId() + ": provider " + provider.id()
          + " is not mapped in EHR profile " + profile.id() + " (providers.ids)");
    }
    EhrProfile.Authority a = profile.authorities().provider();
    Id ehr = new Id(ehrId, a == null ? null : a.namespaceId(), a == null ? null : a.typeCode());
    return npi == null ? List.of(ehr) : List.of(ehr, npi);
  }

  /** Writes the repetitions into a repeating XCN field. */
  static void fill(List<Id> ids, Repetitions field) throws HL7Exception {
    int rep = 0;
    for (Id id : ids) {
      XCN xcn = field.get(rep++);
      xcn.getIDNumber().setValue(id.value());
      Hl7Fields.set(xcn.getAssigningAuthority().getNamespaceID(), id.authority());
      Hl7Fields.set(xcn.getIdentifierTypeCode(), id.typeCode());
    }
  }
}
