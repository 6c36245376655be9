package io.telebridge.core.fromehr;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Provider;
import io.telebridge.core.model.Sex;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Hand-built EHR messages for the use-case tests (the parser's own tests read the HL7 fixtures). */
final class Messages {

  static final Identifier MRN = new Identifier("100234", "EPI", "MR");
  static final Identifier OTHER_MRN = new Identifier("100877", "EPI", "MR");

  private Messages() {}

  static MessageHeader header(String controlId, String type, String sentAt) {
    return new MessageHeader("EPIC", "MAIN_CLINIC", controlId, type, "2.5.1", null, OffsetDateTime.parse(sentAt));
  }

  static EhrPatient patient(Identifier mrn, String platformId) {
    return new EhrPatient(List.of(mrn), new PatientDemographics(platformId,
        new PersonName(List.of("Avery"), "Testpatient", null, null), LocalDate.of(1984, 7, 19), Sex.FEMALE,
        List.of(), null, null, null));
  }

  static ResultReport result(String controlId, Identifier mrn, String status, String value) {
    Observation glucose = new Observation(1, "NM", new Code("2345-7", "Glucose", "LN"), null,
        List.of(new ObservationValue.Numeric(new BigDecimal(value))), "mg/dL", "70-99", List.of("H"),
        ResultStatus.ofHl7(status), null, "Main Street Reference Lab", List.of());
    Result r = new Result("EPIC_LAB:F-778812", "ORD-5001", "F-778812", new Code("24323-8", "CMP", "LN"),
        ResultStatus.ofHl7(status), null, null, "Main Street Reference Lab", List.of(), List.of(glucose));
    return new ResultReport(header(controlId, "ORU^R01", "2025-11-20T14:30:00-05:00"), patient(mrn, null), List.of(r));
  }

  static EhrAppointmentEvent siu(String controlId, EhrAppointmentEvent.Kind kind, String sentAt, String start,
      String end, String npi) {
    return new EhrAppointmentEvent(header(controlId, "SIU^" + kind.trigger(), sentAt), kind, patient(MRN, null),
        "apt-3001", "SCH-104233", OffsetDateTime.parse(start), OffsetDateTime.parse(end),
        npi == null ? null : new Provider("E10501", npi, "Casey Clinician"), kind.status());
  }
}
