package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.segment.DG1;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Provider;
import io.telebridge.core.model.Visit;
import java.util.List;

/**
 * What the visit messages (MDM, ORM/OML, DFT) share: the encounter's PV1 and the DG1 diagnoses.
 * Typed HAPI setters only (escaping on encode).
 */
final class VisitFields {

  /** HL7 table 0396 name of ICD-10 (DG1-3, FT1-19 coding system). */
  static final String ICD10 = "I10";

  private VisitFields() {}

  /** The event's visit, or refused when it has none (a bypassed intake). */
  static Visit visit(PlatformEvent event, MessageKind kind) {
    Visit v = event.visit();
    if (v == null || v.id() == null || v.id().isBlank()) {
      throw new UntranslatableEventException("event " + event.eventId() + " (" + event.type().wireName()
          + "): no visit id for " + kind.messageType());
    }
    return v;
  }

  /** XCN repetitions of a provider, or none when the platform did not name one. */
  static List<ProviderIds.Id> provider(EhrProfile profile, PlatformEvent event, Provider provider) {
    return provider == null ? List.of() : ProviderIds.of(profile, event, provider);
  }

  /**
   * PV1 of the telehealth encounter: 1, 2 patient class ({@code encounter.patientClass}), 3 the virtual
   * location, 7 the attending (EHR id, NPI), 19 the visit number = the platform visit id under
   * {@code authorities.visit}.
   */
  static void pv1(PV1 pv1, EhrProfile profile, Visit visit, List<ProviderIds.Id> attending) throws HL7Exception {
    Hl7Fields.pv1(pv1, profile.encounter().patientClass(), profile.virtualLocation());
    ProviderIds.fill(attending, pv1::getAttendingDoctor);
    CX number = pv1.getVisitNumber();
    number.getIDNumber().setValue(visit.id());
    EhrProfile.Authority a = profile.authorities().visit();
    if (a != null) {
      Hl7Fields.set(number.getAssigningAuthority().getNamespaceID(), a.namespaceId());
      Hl7Fields.set(number.getAssigningAuthority().getUniversalID(), a.universalId());
      Hl7Fields.set(number.getAssigningAuthority().getUniversalIDType(), a.universalIdType());
      Hl7Fields.set(number.getIdentifierTypeCode(), a.typeCodeOr("VN"));
    } else {
      number.getIdentifierTypeCode().setValue("VN");
    }
  }

  /** Gives the DG1 segment of a repetition. */
  interface Dg1Repetitions {
    DG1 get(int rep) throws HL7Exception;
  }

  /**
   * One DG1 per code, in the order given (primary first): DG1-1 set id, DG1-3 {@code code^^I10},
   * DG1-6 the diagnosis type (HL7 table 0052: W working for orders, F final for charges), DG1-15 the
   * rank (1 = primary).
   */
  static void dg1(List<String> codes, String type, Dg1Repetitions segments) throws HL7Exception {
    int rank = 0;
    for (String code : codes) {
      DG1 dg1 = segments.get(rank);
      rank++;
      dg1.getSetIDDG1().setValue(Integer.toString(rank));
      dg1.getDiagnosisCodeDG1().getIdentifier().setValue(code);
      dg1.getDiagnosisCodeDG1().getNameOfCodingSystem().setValue(ICD10);
      dg1.getDiagnosisType().setValue(type);
      dg1.getDiagnosisPriority().setValue(Integer.toString(rank));
    }
  }
}
