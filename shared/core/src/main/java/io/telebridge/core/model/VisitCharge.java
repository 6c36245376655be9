package io.telebridge.core.model;

import java.time.LocalDate;
import java.util.List;

/**
 * One professional charge line of a visit. Diagnoses are PHI: {@code toString} leaves them out.
 *
 * @param id the platform charge id (HL7 FT1-2 transaction id)
 * @param cpt CPT / HCPCS code
 * @param modifiers up to four CPT modifiers in order (e.g. 95 for synchronous telehealth)
 * @param icd10 ICD-10-CM codes, primary first
 * @param units the quantity
 * @param serviceDate the date of service
 * @param placeOfService CMS place of service, 02 or 10 for telehealth
 * @param performer the rendering provider; may be null
 * @param orderer the ordering provider; may be null
 * @param reversed this line reverses the charge with the same id, posted by an earlier event
 */
public record VisitCharge(
    String id,
    String cpt,
    List<String> modifiers,
    List<String> icd10,
    int units,
    LocalDate serviceDate,
    String placeOfService,
    Provider performer,
    Provider orderer,
    boolean reversed) {

  public VisitCharge {
    modifiers = modifiers == null ? List.of() : List.copyOf(modifiers);
    icd10 = icd10 == null ? List.of() : List.copyOf(icd10);
  }

  @Override
  public String toString() {
    return "VisitCharge[id=" + id + ", cpt=" + cpt + ", modifiers=" + modifiers + ", units=" + units
        + ", reversed=" + reversed + ", icd10=***]";
  }
}
