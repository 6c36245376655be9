package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.message.DFT_P03;
import ca.uhn.hl7v2.model.v251.segment.FT1;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitCharge;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Professional charges of a visit as DFT^P03: MSH, EVN, PID, PV1 (the encounter; attending = the first
 * charge's performer), one FINANCIAL group with its FT1 per charge, then one DG1 per distinct ICD-10
 * code of the event in rank order (the first charge's codes in their order, then codes first named by
 * later charges), DG1-6 {@code F}, DG1-15 the rank.
 *
 * <p>FT1: 1 set id; 2 transaction id = the platform charge id; 4 transaction date = the service date;
 * 5 posting date = the event's time; 6 type {@code CG} (a reversal: {@code CD} credit with the units, or
 * {@code CG} with negative units, per {@code billing.reversal}); 7 transaction code and 25 procedure code
 * = the CPT code {@code ^^C4}; 10 units; 16.1 place of service ({@code billing.placeOfService}; an
 * unmapped code is refused) with 16.4 the virtual location's facility; 19 the charge's ICD-10 codes in
 * order ({@code ^^I10}); 20 performed by and 21 ordered by (EHR id, NPI); 26 the modifiers in order, and
 * {@code billing.telehealthModifier} last when the profile sets one and the line lacks it.
 */
final class DftMessages {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

  /** HL7 table 0396 name of CPT-4. */
  static final String CPT = "C4";

  private DftMessages() {}

  static OutboundHl7 build(MessageAssembly settings, MessageKind kind, PlatformEvent event, List<Identifier> pid3) {
    MessageAssembly.requireEvent(event);
    Visit visit = VisitFields.visit(event, kind);
    if (visit.charges().isEmpty()) {
      throw new UntranslatableEventException("event " + event.eventId() + ": no charges for " + kind.messageType());
    }
    EhrProfile profile = settings.profile;
    EhrProfile.Billing billing = profile.billing();
    List<String> placesOfService = new ArrayList<>();
    List<List<String>> modifiers = new ArrayList<>();
    for (VisitCharge c : visit.charges()) {
      String pos = billing.placeOfService().get(c.placeOfService());
      if (pos == null) {
        throw new UntranslatableEventException("event " + event.eventId() + ": charge " + c.id() + " place of service "
            + c.placeOfService() + " is not mapped in EHR profile " + profile.id() + " (billing.placeOfService)");
      }
      placesOfService.add(pos);
      modifiers.add(modifiers(event, c, billing));
    }
    List<ProviderIds.Id> attending = VisitFields.provider(profile, event, visit.charges().get(0).performer());
    List<Identifier> identifiers = settings.identifiers(event, pid3);
    String controlId = ControlIds.of(event.tenant(), event.eventId(), kind.messageType());
    String posted = Hl7Fields.dtm(event.occurredAt(), profile.messageTimeZone());
    try {
      DFT_P03 dft = MessageAssembly.newMessage(DFT_P03::new);
      Hl7Fields.msh(dft.getMSH(), kind, controlId, profile, settings.environment, settings.clock);
      Hl7Fields.evn(dft.getEVN(), kind, event, profile);
      Hl7Fields.pid(dft.getPID(), event.patient(), identifiers, profile);
      VisitFields.pv1(dft.getPV1(), profile, visit, attending);
      for (int i = 0; i < visit.charges().size(); i++) {
        VisitCharge c = visit.charges().get(i);
        FT1 ft1 = dft.getFINANCIAL(i).getFT1();
        ft1.getSetIDFT1().setValue(Integer.toString(i + 1));
        ft1.getTransactionID().setValue(c.id());
        ft1.getTransactionDate().getRangeStartDateTime().getTime().setValue(DATE.format(c.serviceDate()));
        ft1.getTransactionPostingDate().getTime().setValue(posted);
        boolean credit = c.reversed() && billing.reversal() == EhrProfile.ChargeReversal.CREDIT;
        ft1.getTransactionType().setValue(credit ? "CD" : "CG");
        ft1.getTransactionCode().getIdentifier().setValue(c.cpt());
        ft1.getTransactionCode().getNameOfCodingSystem().setValue(CPT);
        int units = c.reversed() && !credit ? -c.units() : c.units();
        ft1.getTransactionQuantity().setValue(Integer.toString(units));
        ft1.getAssignedPatientLocation().getPointOfCare().setValue(placesOfService.get(i));
        if (profile.virtualLocation() != null) {
          Hl7Fields.hd(ft1.getAssignedPatientLocation().getFacility(), profile.virtualLocation().facility());
        }
        int rep = 0;
        for (String code : c.icd10()) {
          ft1.getDiagnosisCodeFT1(rep).getIdentifier().setValue(code);
          ft1.getDiagnosisCodeFT1(rep++).getNameOfCodingSystem().setValue(VisitFields.ICD10);
        }
        ProviderIds.fill(VisitFields.provider(profile, event, c.performer()), ft1::getPerformedByCode);
        ProviderIds.fill(VisitFields.provider(profile, event, c.orderer()), ft1::getOrderedByCode);
        ft1.getProcedureCode().getIdentifier().setValue(c.cpt());
        ft1.getProcedureCode().getNameOfCodingSystem().setValue(CPT);
        rep = 0;
        for (String modifier : modifiers.get(i)) {
          ft1.getProcedureCodeModifier(rep++).getIdentifier().setValue(modifier);
        }
      }
      VisitFields.dg1(rankedDiagnoses(visit.charges()), "F", dft::getDG1);
      return settings.encode(event, dft, kind, controlId);
    } catch (HL7Exception e) {
      throw settings.refused(event, kind, e);
    }
  }

  /** The charge's modifiers, with the profile's telehealth modifier appended when it is missing. */
  static List<String> modifiers(PlatformEvent event, VisitCharge charge, EhrProfile.Billing billing) {
    String telehealth = billing.telehealthModifier();
    if (telehealth == null || charge.modifiers().contains(telehealth)) {
      return charge.modifiers();
    }
    if (charge.modifiers().size() >= 4) {
      throw new UntranslatableEventException("event " + event.eventId() + ": charge " + charge.id()
          + " has four modifiers and no room for the profile's telehealth modifier " + telehealth);
    }
    List<String> out = new ArrayList<>(charge.modifiers());
    out.add(telehealth);
    return out;
  }

  /** Every ICD-10 code of the charges once, in rank order: the first charge's in order, then new ones of later charges. */
  static List<String> rankedDiagnoses(List<VisitCharge> charges) {
    Set<String> ranked = new LinkedHashSet<>();
    for (VisitCharge c : charges) {
      ranked.addAll(c.icd10());
    }
    return List.copyOf(ranked);
  }
}
