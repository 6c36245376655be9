package io.telebridge.hl7v2;

import io.telebridge.hl7v2.EhrHl7Parts.Coded;
import java.util.Map;

/**
 * The visit-flow parts of an {@link EhrProfile} (note → MDM, orders → ORM/OML, charges → DFT): PV1, the
 * document types, the orderable map, billing. {@link EhrProfile} implements this interface, so each part
 * is named {@code EhrProfile.Documents}, … (member types are inherited).
 */
public interface EhrVisitParts {

  /**
   * PV1 of the visit messages.
   *
   * @param patientClass PV1-2, HL7 table 0004 [O: outpatient]
   */
  public record Encounter(String patientClass) {
    public Encounter {
      patientClass = patientClass == null ? "O" : patientClass;
    }
  }

  /** How a note's text goes in OBX: one TX line per paragraph, or one FT value with {@code \.br\} breaks. */
  public enum NoteFormat { TX, FT }

  /** The trigger of an amended note: MDM^T08 (edit, same document number) or T10 (replace: new number, TXA-13 parent). */
  public enum AmendmentEvent { T08, T10 }

  /**
   * One platform note type in the EHR.
   *
   * @param code TXA-2 document type (HL7 table 0270, user-extensible: PR progress note, CN consult, ...)
   * @param observation OBX-3 of the note's content, e.g. LOINC {@code 11506-3^Progress note^LN}
   */
  public record DocumentType(String code, Coded observation) {}

  /**
   * Notes → MDM; each null means the default in brackets.
   *
   * @param types platform note type → document type [progress_note → PR, 11506-3; consult_note → CN, 11488-4]
   * @param defaultType the {@code types} key for an unmapped note type; null refuses the event [null]
   * @param format TX lines or one FT value [TX]
   * @param amendment T08 or T10 [T08]
   * @param completionStatus TXA-17 of a signed note: AU authenticated, LA legally authenticated, DO documented [AU]
   */
  public record Documents(Map<String, DocumentType> types, String defaultType, NoteFormat format,
      AmendmentEvent amendment, String completionStatus) {
    public Documents {
      types = types == null
          ? Map.of(
              "progress_note", new DocumentType("PR", new Coded("11506-3", "Progress note", "LN")),
              "consult_note", new DocumentType("CN", new Coded("11488-4", "Consult note", "LN")))
          : Map.copyOf(types);
      format = format == null ? NoteFormat.TX : format;
      amendment = amendment == null ? AmendmentEvent.T08 : amendment;
      completionStatus = completionStatus == null ? "AU" : completionStatus;
    }

    /** The document type of a platform note type, or null when neither it nor {@code defaultType} is mapped. */
    public DocumentType typeOf(String noteType) {
      DocumentType t = noteType == null ? null : types.get(noteType);
      return t == null && defaultType != null ? types.get(defaultType) : t;
    }
  }

  /** The order message: ORM^O01 (general order) or OML^O21 (laboratory order). */
  public enum OrderMessage { ORM_O01, OML_O21 }

  /**
   * Orders → ORM/OML; each null means the default in brackets.
   *
   * @param message ORM_O01 or OML_O21 [ORM_O01]
   * @param codes {@code <system URI>|<code>} → OBR-4 (the EHR's orderable, or the standard code with its HL7
   *     coding system name) [none]
   * @param passThrough system URI → HL7 coding system name (e.g. {@code http://loinc.org: LN}): codes of
   *     these systems not in {@code codes} go to OBR-4 unchanged [none: every code must be in {@code codes}]
   */
  public record Orders(OrderMessage message, Map<String, Coded> codes, Map<String, String> passThrough) {
    public Orders {
      message = message == null ? OrderMessage.ORM_O01 : message;
      codes = codes == null ? Map.of() : Map.copyOf(codes);
      passThrough = passThrough == null ? Map.of() : Map.copyOf(passThrough);
    }

    /** OBR-4 for a platform code, or null when the profile maps neither the code nor its system. */
    public Coded codeFor(String system, String code, String display) {
      Coded mapped = codes.get(system + "|" + code);
      if (mapped != null) {
        return mapped;
      }
      String hl7System = passThrough.get(system);
      return hl7System == null ? null : new Coded(code, display, hl7System);
    }
  }

  /** How a reversed charge is sent: FT1-6 {@code CD} (credit) with the units, or FT1-6 {@code CG} with negative units. */
  public enum ChargeReversal { CREDIT, NEGATIVE }

  /**
   * Charges → DFT^P03; each null means the default in brackets.
   *
   * @param reversal CREDIT or NEGATIVE [CREDIT]
   * @param placeOfService platform place of service → FT1-16.1; a code not in the map is refused [02 → 02, 10 → 10]
   * @param telehealthModifier a modifier added (last) to every charge line that lacks it, e.g. {@code 95} or
   *     {@code GT} for payers that want one; null adds nothing [null]
   */
  public record Billing(ChargeReversal reversal, Map<String, String> placeOfService, String telehealthModifier) {
    public Billing {
      reversal = reversal == null ? ChargeReversal.CREDIT : reversal;
      placeOfService = placeOfService == null ? Map.of("02", "02", "10", "10") : Map.copyOf(placeOfService);
    }
  }
}
