package io.telebridge.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.telebridge.core.context.Allergy;
import io.telebridge.core.context.ChartPatient;
import io.telebridge.core.context.ClinicalResult;
import io.telebridge.core.context.Medication;
import io.telebridge.core.context.Problem;
import io.telebridge.core.fromehr.Code;
import io.telebridge.json.FhirPatientReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * R4 resources → the core's context records. Coded values: the first coding with a code (code,
 * display, system URI), else the concept's text as display. Times: as the server wrote them, and as an
 * instant where they have a time. The Patient goes through the one FHIR Patient mapping
 * ({@link FhirPatientReader}, identifier systems → assigning authorities). Thread-safe.
 */
final class R4ChartMapper {

  private final FhirContext fhir;
  private final FhirPatientReader patients;

  R4ChartMapper(FhirContext fhir, Map<String, String> authorities) {
    this.fhir = fhir;
    this.patients = new FhirPatientReader(authorities);
  }

  ChartPatient patient(Patient p) {
    return new ChartPatient(p.getIdElement().getIdPart(),
        patients.read(fhir.newJsonParser().encodeResourceToString(p)));
  }

  static Problem problem(Condition c) {
    return new Problem(id(c), code(c.getCode()), firstCode(c.getClinicalStatus()),
        firstCode(c.getVerificationStatus()), c.getCategory().stream().map(R4ChartMapper::code).toList(),
        c.hasOnsetDateTimeType() ? c.getOnsetDateTimeType().getValueAsString()
            : c.hasOnsetPeriod() ? c.getOnsetPeriod().getStartElement().getValueAsString() : null,
        c.hasRecordedDate() ? c.getRecordedDateElement().getValueAsString() : null);
  }

  static Medication medication(MedicationRequest m, Map<String, org.hl7.fhir.r4.model.Medication> included) {
    return new Medication(id(m), "MedicationRequest", medicationCode(m.getMedication(), included),
        enumCode(m.getStatusElement()), enumCode(m.getIntentElement()), dosage(m.getDosageInstruction()),
        m.hasAuthoredOn() ? m.getAuthoredOnElement().getValueAsString() : null);
  }

  static Medication medication(MedicationStatement m, Map<String, org.hl7.fhir.r4.model.Medication> included) {
    String date = m.hasEffectiveDateTimeType() ? m.getEffectiveDateTimeType().getValueAsString()
        : m.hasEffectivePeriod() ? m.getEffectivePeriod().getStartElement().getValueAsString()
        : m.hasDateAsserted() ? m.getDateAssertedElement().getValueAsString() : null;
    return new Medication(id(m), "MedicationStatement", medicationCode(m.getMedication(), included),
        enumCode(m.getStatusElement()), null, dosage(m.getDosage()), date);
  }

  static Allergy allergy(AllergyIntolerance a) {
    List<Allergy.Reaction> reactions = new ArrayList<>();
    for (AllergyIntolerance.AllergyIntoleranceReactionComponent r : a.getReaction()) {
      reactions.add(new Allergy.Reaction(r.getManifestation().stream().map(R4ChartMapper::code).toList(),
          enumCode(r.getSeverityElement()), r.getDescription()));
    }
    return new Allergy(id(a), code(a.getCode()), firstCode(a.getClinicalStatus()),
        firstCode(a.getVerificationStatus()), enumCode(a.getTypeElement()),
        a.getCategory().stream().map(R4ChartMapper::enumCode).toList(), enumCode(a.getCriticalityElement()),
        reactions, a.hasRecordedDate() ? a.getRecordedDateElement().getValueAsString() : null);
  }

  static ClinicalResult observation(Observation o) {
    List<ClinicalResult.Range> ranges = new ArrayList<>();
    for (Observation.ObservationReferenceRangeComponent r : o.getReferenceRange()) {
      String unit = r.hasLow() ? r.getLow().getUnit() : r.hasHigh() ? r.getHigh().getUnit() : null;
      ranges.add(new ClinicalResult.Range(r.hasLow() ? r.getLow().getValue() : null,
          r.hasHigh() ? r.getHigh().getValue() : null, unit, r.getText()));
    }
    Effective e = effective(o.getEffective());
    return new ClinicalResult(id(o), "Observation", code(o.getCode()), enumCode(o.getStatusElement()), e.text,
        e.at, o.hasIssued() ? o.getIssuedElement().getValueAsString() : null, value(o.getValue()), ranges,
        o.getInterpretation().stream().map(R4ChartMapper::code).toList(), List.of(), null);
  }

  static ClinicalResult report(DiagnosticReport d) {
    Effective e = effective(d.getEffective());
    List<String> members = d.getResult().stream().map(r -> r.getReferenceElement().getIdPart())
        .filter(x -> x != null).toList();
    return new ClinicalResult(id(d), "DiagnosticReport", code(d.getCode()), enumCode(d.getStatusElement()), e.text,
        e.at, d.hasIssued() ? d.getIssuedElement().getValueAsString() : null, null, List.of(), List.of(), members,
        d.getConclusion());
  }

  // ------------------------------------------------------------------------------------------ helpers

  private record Effective(String text, Instant at) {}

  private static Effective effective(Type t) {
    BaseDateTimeType dt = t instanceof DateTimeType d ? d : t instanceof Period p && p.hasStart() ? p.getStartElement()
        : null;
    if (dt == null || dt.isEmpty()) {
      return new Effective(null, null);
    }
    // a date without a time is still ordered, by its first instant in UTC
    return new Effective(dt.getValueAsString(), dt.getValue() == null ? null : dt.getValue().toInstant());
  }

  private static ClinicalResult.Value value(Type v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v instanceof Quantity q) {
      return new ClinicalResult.Value.Quantity(q.getValue(), q.hasComparator() ? q.getComparator().toCode() : null,
          q.getUnit(), q.getCode());
    }
    if (v instanceof CodeableConcept cc) {
      return new ClinicalResult.Value.Coded(code(cc));
    }
    if (v instanceof StringType s) {
      return new ClinicalResult.Value.Text(s.getValue());
    }
    if (v instanceof PrimitiveType<?> p) {
      return new ClinicalResult.Value.Text(p.getValueAsString());
    }
    return null;
  }

  private static Code medicationCode(Type medication, Map<String, org.hl7.fhir.r4.model.Medication> included) {
    if (medication instanceof CodeableConcept cc) {
      return code(cc);
    }
    if (medication instanceof Reference r) {
      org.hl7.fhir.r4.model.Medication m = included.get(r.getReferenceElement().getIdPart());
      if (m != null) {
        return code(m.getCode());
      }
      return r.hasDisplay() ? new Code(null, r.getDisplay(), null) : null;
    }
    return null;
  }

  /** Dosage.text of each instruction; else its first dose quantity and timing text ("500 mg, twice a day"). */
  private static String dosage(List<Dosage> dosages) {
    List<String> parts = new ArrayList<>();
    for (Dosage d : dosages) {
      if (d.hasText()) {
        parts.add(d.getText());
      } else if (d.hasDoseAndRate() && d.getDoseAndRateFirstRep().hasDoseQuantity()) {
        Quantity q = d.getDoseAndRateFirstRep().getDoseQuantity();
        String dose = q.getValue().stripTrailingZeros().toPlainString() + (q.hasUnit() ? " " + q.getUnit() : "");
        parts.add(d.hasTiming() && d.getTiming().getCode().hasText() ? dose + ", " + d.getTiming().getCode().getText()
            : dose);
      }
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  static Code code(CodeableConcept cc) {
    if (cc == null || cc.isEmpty()) {
      return null;
    }
    for (Coding c : cc.getCoding()) {
      if (c.hasCode()) {
        return new Code(c.getCode(), c.hasDisplay() ? c.getDisplay() : cc.getText(), c.getSystem());
      }
    }
    return cc.hasText() ? new Code(null, cc.getText(), null) : null;
  }

  private static String firstCode(CodeableConcept cc) {
    Code c = code(cc);
    return c == null ? null : c.code();
  }

  private static String enumCode(Enumeration<?> e) {
    return e == null || e.isEmpty() ? null : e.getValueAsString();
  }

  private static String id(Resource r) {
    return r.getIdElement().getIdPart();
  }
}
