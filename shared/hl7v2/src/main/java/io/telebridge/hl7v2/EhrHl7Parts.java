package io.telebridge.hl7v2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HL7 v2 parts of an {@link EhrProfile}: HD and assigning authorities, trigger variants, optional
 * segments, code maps, providers, the virtual location, phone uses. Declared here to keep the profile's
 * file to its shape and loading; {@link EhrProfile} implements this interface, so each part is named
 * {@code EhrProfile.Coded}, {@code EhrProfile.Authority}, … as before (member types are inherited).
 */
public interface EhrHl7Parts {

  /** An HL7 HD: namespace id, optional universal id and its type (e.g. an OID and {@code ISO}). */
  public record Hd(String namespaceId, String universalId, String universalIdType) {}

  /**
   * An assigning authority.
   *
   * @param typeCode HL7 table 0203 identifier type (MR, PI, PRN, NPI, ...), when it has one
   */
  public record Authority(String namespaceId, String universalId, String universalIdType, String typeCode) {
    String typeCodeOr(String fallback) {
      return typeCode == null || typeCode.isBlank() ? fallback : typeCode;
    }
  }

  /**
   * The assigning authorities.
   *
   * @param ehrMrn the EHR's medical record numbers (PID-3)
   * @param platform the platform's patient ids (PID-3)
   * @param placerAppointment EI-2.. of SCH-1 (platform appointment ids); may be null
   * @param fillerAppointment EI-2.. of SCH-2 (EHR appointment ids); may be null
   * @param provider XCN-9/13 of the EHR provider id in AIP-3; may be null
   * @param npi XCN-9/13 of the NPI in AIP-3; null means {@code NPI} for both
   * @param visit CX-4 of the platform visit id in PV1-19 (visit number); may be null
   * @param placerOrder EI-2.. of the platform order id in ORC-2 / OBR-2; may be null
   * @param document EI-2.. of the platform note id in TXA-12 / TXA-13; may be null
   */
  public record Authorities(
      Authority ehrMrn,
      Authority platform,
      Authority placerAppointment,
      Authority fillerAppointment,
      Authority provider,
      Authority npi,
      Authority visit,
      Authority placerOrder,
      Authority document) {
    List<Authority> all() {
      List<Authority> list = new ArrayList<>();
      for (Authority a : new Authority[] {ehrMrn, platform, placerAppointment, fillerAppointment, provider, npi, visit,
          placerOrder, document}) {
        if (a != null) {
          list.add(a);
        }
      }
      return list;
    }
  }

  /** Registration trigger: ADT^A04 (register an outpatient) or ADT^A28 (add person). */
  public enum RegistrationEvent { A04, A28 }

  /** Demographics update trigger: ADT^A08 (update patient) or ADT^A31 (update person). */
  public enum UpdateEvent { A08, A31 }

  /** A detail change without a time change (e.g. another provider): SIU^S14, or S13 for EHRs without S14. */
  public enum DetailChangeEvent { S14, S13 }

  /** Which trigger events to send; each null means the first constant (A04, A08, S14). */
  public record Variants(RegistrationEvent registration, UpdateEvent update, DetailChangeEvent detailChange) {
    public Variants {
      registration = registration == null ? RegistrationEvent.A04 : registration;
      update = update == null ? UpdateEvent.A08 : update;
      detailChange = detailChange == null ? DetailChangeEvent.S14 : detailChange;
    }
  }

  /** Where the appointment's start/end go: SCH-11 (TQ, deprecated in 2.5 but what many EHRs read), a TQ1 segment, or both. */
  public enum Timing { SCH11, TQ1, BOTH }

  /**
   * Which optional SIU segments to send; each null means the default in brackets.
   *
   * @param timing SCH-11 or TQ1 [SCH11]
   * @param pv1 PV1 in the patient group of SIU messages [true]
   * @param ais AIS: the service (visit type) [true]
   * @param ail AIL: the virtual location [true]
   * @param aip AIP: the provider [true]
   * @param notes NTE after SCH with the patient's visit reason and the cancellation reason [true]
   */
  public record Segments(Timing timing, Boolean pv1, Boolean ais, Boolean ail, Boolean aip, Boolean notes) {
    public Segments {
      timing = timing == null ? Timing.SCH11 : timing;
      pv1 = pv1 == null || pv1;
      ais = ais == null || ais;
      ail = ail == null || ail;
      aip = aip == null || aip;
      notes = notes == null || notes;
    }
  }

  /** A code with its text and coding system (CE-1, CE-2, CE-3). */
  public record Coded(String code, String text, String system) {}

  /**
   * The codes of one platform visit type.
   *
   * @param reason SCH-7 appointment reason (e.g. HL7 table 0276: ROUTINE, FOLLOWUP, WALKIN)
   * @param type SCH-8 appointment type (the EHR's telehealth visit type)
   * @param service AIS-3 universal service identifier; null means the SCH-8 type (per modality)
   * @param typeByModality SCH-8 override per modality ({@code video}, {@code phone})
   */
  public record VisitTypeCodes(Coded reason, Coded type, Coded service, Map<String, Coded> typeByModality) {
    public VisitTypeCodes {
      typeByModality = typeByModality == null ? Map.of() : Map.copyOf(typeByModality);
    }

    /** SCH-8 for a modality. */
    public Coded typeFor(String modality) {
      Coded c = modality == null ? null : typeByModality.get(modality);
      return c == null ? type : c;
    }

    /** AIS-3 for a modality: {@code service}, else SCH-8's code for that modality. */
    public Coded serviceFor(String modality) {
      return service == null ? typeFor(modality) : service;
    }
  }

  /** What to do with a provider that {@code providers.ids} does not map. */
  public enum UnmappedProvider {
    /** Refuse the event (it goes to the DLQ with the provider id; add the mapping and redrive). */
    REJECT,
    /** Send the NPI as the only AIP-3 repetition (for EHRs that resolve providers by NPI). */
    NPI_ONLY
  }

  /**
   * Provider mapping.
   *
   * @param ids platform provider id → EHR provider id
   * @param unmapped what to do when a provider is not in {@code ids} [REJECT]
   * @param role AIP-4 resource type / role, e.g. {@code ATTENDING}; null leaves it empty
   */
  public record Providers(Map<String, String> ids, UnmappedProvider unmapped, Coded role) {
    public Providers {
      ids = ids == null ? Map.of() : Map.copyOf(ids);
      unmapped = unmapped == null ? UnmappedProvider.REJECT : unmapped;
    }
  }

  /**
   * The virtual location of telehealth visits (PL), e.g. {@code TELEHEALTH^^^MAIN_CLINIC}.
   *
   * @param type AIL-4 location type, may be null
   */
  public record Location(String pointOfCare, String room, String bed, Hd facility, String description, Coded type) {}

  /** XTN-2 use code (table 0201: PRN, ORN, WPN, ...) and XTN-3 equipment type (table 0202: PH, CP, ...). */
  public record PhoneUse(String use, String equipment) {}
}
