package io.telebridge.matching;

import io.telebridge.core.model.Sex;
import java.util.List;

/**
 * A registration reduced to comparable values. Blank or unparseable fields are {@code null}.
 * PHI: redacted {@code toString}.
 *
 * @param given first given name, normalised
 * @param givenFull all given-name tokens joined without spaces ("mary ann" -> "maryann")
 * @param givenOther further given-name tokens (middle names)
 * @param surname family name with spaces, hyphens and apostrophes removed ("van der berg" -> "vanderberg")
 * @param surnameParts the parts of a multi-part or hyphenated family name
 * @param suffix generational suffix: JR, SR, II, III, IV
 * @param dob birth date as YYYYMMDD digits
 * @param phones E.164 numbers
 * @param streetName standardised street name without number or unit
 * @param addressExtra a second address line (building, complex)
 */
public record NormalizedPerson(
    String recordId,
    String given,
    String givenFull,
    List<String> givenOther,
    String surname,
    List<String> surnameParts,
    String suffix,
    String dob,
    Sex sex,
    List<String> phones,
    String email,
    String streetNumber,
    String unit,
    String streetName,
    String addressExtra,
    String city,
    String state,
    String postcode,
    String ssnLast4,
    String nationalId) {

  public NormalizedPerson {
    givenOther = givenOther == null ? List.of() : List.copyOf(givenOther);
    surnameParts = surnameParts == null ? List.of() : List.copyOf(surnameParts);
    phones = phones == null ? List.of() : List.copyOf(phones);
    sex = sex == null ? Sex.UNKNOWN : sex;
  }

  /** Birth year, or {@code null}. */
  public String birthYear() {
    return dob == null ? null : dob.substring(0, 4);
  }

  @Override
  public String toString() {
    return "NormalizedPerson[recordId=" + recordId + ", ***]";
  }
}
