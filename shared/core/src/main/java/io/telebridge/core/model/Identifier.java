package io.telebridge.core.model;

/**
 * A patient identifier with its assigning authority, e.g. an EHR MRN or the platform's patient id
 * (HL7 PID-3 repetitions, FHIR Patient.identifier).
 *
 * @param typeCode HL7 table 0203 identifier type: MR (medical record number), PI (patient internal), ...
 */
public record Identifier(String value, String assigningAuthority, String typeCode) {

  /** The value is left out: an MRN identifies a patient (log opaque ids, e.g. a hash, instead). */
  @Override
  public String toString() {
    return "Identifier[authority=" + assigningAuthority + ", type=" + typeCode + ", value=***]";
  }
}
