package io.telebridge.core.model;

import java.time.LocalDate;
import java.util.List;

/**
 * The platform patient an event is about: the platform id and, when the event carries them, the
 * demographics. PHI: {@code toString} shows the platform id only.
 */
public record PatientDemographics(
    String platformPatientId,
    PersonName name,
    LocalDate birthDate,
    Sex sex,
    List<Phone> phones,
    String email,
    Address address,
    String ssnLast4) {

  public PatientDemographics {
    phones = phones == null ? List.of() : List.copyOf(phones);
    sex = sex == null ? Sex.UNKNOWN : sex;
  }

  /** Whether the event carried demographics (not only the platform id). */
  public boolean hasDemographics() {
    return name != null && birthDate != null;
  }

  @Override
  public String toString() {
    return "PatientDemographics[platformPatientId=" + platformPatientId + ", ***]";
  }
}
