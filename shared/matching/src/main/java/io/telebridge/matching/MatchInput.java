package io.telebridge.matching;

import io.telebridge.core.model.PatientDemographics;

/**
 * What the matcher resolves: the canonical demographics plus, when the source has one, a full
 * national or insurance id (Febrl's soc_sec_id). US registrations usually carry only the SSN's last
 * four digits, which live in {@link PatientDemographics#ssnLast4()}. PHI: redacted {@code toString}.
 *
 * @param recordId the caller's id for this record (event id, rec_id), logged; never PHI
 */
public record MatchInput(String recordId, PatientDemographics demographics, String nationalId) {

  public static MatchInput of(String recordId, PatientDemographics demographics) {
    return new MatchInput(recordId, demographics, null);
  }

  @Override
  public String toString() {
    return "MatchInput[recordId=" + recordId + ", ***]";
  }
}
