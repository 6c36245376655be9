package io.telebridge.fhir;

import io.telebridge.core.context.PatientNotInRecord;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * Which FHIR Patient a visit event is written on (pure; {@link FhirChartWriter} does the requests): every
 * identifier telebridge knows of the patient — the EHR's MRN under the profile's MRN system, the platform id
 * under the profile's platform system (when it has one) and under the tenant's own system
 * {@code urn:telebridge:<tenant>:patient} — searched at once; of several Patients found, the one with the MRN;
 * none found, the Patient to create under {@link VisitRecordProfile.PatientPolicy#CREATE}.
 */
final class R4Patients {

  /** The patient's identifiers as FHIR knows them; {@code mrn} null when the EHR's MRN is not linked yet. */
  record Known(String mrn, List<Identifier> identifiers) {}

  private final VisitRecordProfile profile;

  R4Patients(VisitRecordProfile profile) {
    this.profile = profile;
  }

  /** @throws PatientNotInRecord nothing to search by (no MRN, no platform id) */
  Known known(VisitRecord r) {
    String mrn = null;
    for (io.telebridge.core.model.Identifier id : r.patientIdentifiers()) {
      if (profile.mrnAuthority() != null && profile.mrnAuthority().equals(id.assigningAuthority())) {
        mrn = id.value();
        break;
      }
    }
    List<Identifier> known = new ArrayList<>();
    if (mrn != null) {
      known.add(new Identifier().setSystem(profile.patientIdentifierSystem()).setValue(mrn));
    }
    if (r.platformPatientId() != null) {
      if (profile.platformIdentifierSystem() != null) {
        known.add(new Identifier().setSystem(profile.platformIdentifierSystem()).setValue(r.platformPatientId()));
      }
      known.add(new Identifier().setSystem(VisitRecordProfile.system(r.tenant(), "patient"))
          .setValue(r.platformPatientId()));
    }
    if (known.isEmpty()) {
      throw new PatientNotInRecord(r.eventId());
    }
    return new Known(mrn, List.copyOf(known));
  }

  /** {@code Patient?identifier=<a>,<b>,...&_elements=identifier}: one search, any of them. */
  static String search(Known k) {
    return "Patient?identifier=" + String.join(",", k.identifiers().stream()
        .map(i -> URLEncoder.encode(escape(i.getSystem()) + "|" + escape(i.getValue()), StandardCharsets.UTF_8))
        .toList()) + "&_elements=identifier";
  }

  /**
   * The one Patient of those found (several: the only one with the MRN — the EHR's chart before a copy under
   * another id), or null when none was found.
   *
   * @throws RejectedException several, and not exactly one of them with the MRN
   */
  Patient choose(List<Patient> found, Known k, String eventId) {
    List<Patient> patients = found;
    if (patients.size() > 1 && k.mrn() != null) {
      String system = profile.patientIdentifierSystem();
      List<Patient> withMrn = patients.stream().filter(p -> p.getIdentifier().stream()
          .anyMatch(i -> system.equals(i.getSystem()) && k.mrn().equals(i.getValue()))).toList();
      patients = withMrn.size() == 1 ? withMrn : patients;
    }
    if (patients.size() > 1) {
      throw new RejectedException("event " + eventId + ": " + patients.size()
          + " FHIR Patients share the patient's identifiers");
    }
    return patients.isEmpty() ? null : patients.getFirst();
  }

  /**
   * The Patient to create when none was found and the profile says {@code CREATE}: the known identifiers only (no
   * demographics), active, tagged {@link VisitRecordProfile#CREATED_TAG}; null when telebridge may not create it.
   */
  Patient toCreate(VisitRecord r, Known k) {
    if (profile.patients() != VisitRecordProfile.PatientPolicy.CREATE || r.platformPatientId() == null) {
      return null;
    }
    Patient p = new Patient();
    k.identifiers().forEach(i -> p.addIdentifier(i.copy()));
    p.setActive(true);
    String[] tag = VisitRecordProfile.CREATED_TAG.split("\\|");
    p.getMeta().addTag(tag[0], tag[1], null);
    return p;
  }

  /** The condition of that create ({@code If-None-Exist}): the platform id under the tenant's system. */
  static String createdMatch(VisitRecord r) {
    return "Patient?identifier=" + URLEncoder.encode(escape(VisitRecordProfile.system(r.tenant(), "patient")) + "|"
        + escape(r.platformPatientId()), StandardCharsets.UTF_8);
  }

  /** A search parameter value with FHIR's escapes ({@code \\ , | $}). */
  static String escape(String s) {
    return s.replace("\\", "\\\\").replace(",", "\\,").replace("|", "\\|").replace("$", "\\$");
  }
}
