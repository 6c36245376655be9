package io.telebridge.local.fhirserver;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Synthetic charts (all data invented) written to the FHIR server with PUTs, so a rerun replaces rather
 * than duplicates. {@link #demo} is the sample patient's small chart that the
 * context ITs compare field by field and the local stack seeds ({@link #samples}); {@link #realistic} is the benchmark's (≈ 50 conditions, 30
 * medications, 10 allergies, 500 observations). Dates are relative to {@code now} so they stay inside
 * the results window.
 */
public final class SyntheticCharts {

  public static final String MRN_SYSTEM = "urn:oid:1.2.840.99999.1";
  public static final String SNOMED = "http://snomed.info/sct";
  public static final String LOINC = "http://loinc.org";
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  public static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
  public static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
  public static final String ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
  public static final String OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
  public static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
  public static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";

  private SyntheticCharts() {}

  /** A chart under construction: resources with client-assigned ids (each with a letter, as HAPI wants). */
  public static final class Chart {
    final List<Resource> resources = new ArrayList<>();
    final String prefix;
    final Reference patient;

    Chart(String prefix, String mrn, String given, String family, String birthDate) {
      this.prefix = prefix;
      Patient p = new Patient();
      p.setId(prefix);
      p.addIdentifier().setSystem(MRN_SYSTEM).setValue(mrn).getType().addCoding()
          .setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("MR");
      p.addName().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL).setFamily(family).addGiven(given);
      p.setGender(Enumerations.AdministrativeGender.FEMALE);
      p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
      p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.MOBILE)
          .setValue("+15555550142");
      resources.add(p);
      patient = new Reference("Patient/" + prefix);
    }

    public Condition condition(String id, String code, String display, String clinicalStatus, String category,
        String onset) {
      Condition c = new Condition();
      c.setId(prefix + "-" + id);
      c.setSubject(patient);
      c.setCode(cc(SNOMED, code, display));
      c.setClinicalStatus(cc(CLINICAL, clinicalStatus, null));
      c.setVerificationStatus(cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null));
      c.addCategory(cc(CONDITION_CATEGORY, category, null));
      c.setOnset(new DateTimeType(onset));
      c.setRecordedDateElement(new DateTimeType(onset));
      resources.add(c);
      return c;
    }

    public MedicationRequest medicationRequest(String id, String code, String display, String status,
        String dosageText) {
      MedicationRequest m = new MedicationRequest();
      m.setId(prefix + "-" + id);
      m.setSubject(patient);
      m.setStatus(MedicationRequest.MedicationRequestStatus.fromCode(status));
      m.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
      m.setMedication(cc(RXNORM, code, display));
      if (dosageText != null) {
        m.addDosageInstruction(new Dosage().setText(dosageText));
      }
      m.setAuthoredOnElement(new DateTimeType("2024-01-10"));
      resources.add(m);
      return m;
    }

    /** A request whose drug is a Medication resource (read through _include), with a structured dose. */
    public MedicationRequest medicationRequestByReference(String id, String code, String display, BigDecimal dose,
        String unit, String timing) {
      Medication med = new Medication();
      med.setId(prefix + "-" + id + "-drug");
      med.setCode(cc(RXNORM, code, display));
      resources.add(med);
      MedicationRequest m = new MedicationRequest();
      m.setId(prefix + "-" + id);
      m.setSubject(patient);
      m.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
      m.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
      m.setMedication(new Reference("Medication/" + med.getIdElement().getIdPart()));
      Dosage d = new Dosage();
      d.addDoseAndRate().setDose(new Quantity().setValue(dose).setUnit(unit));
      d.getTiming().getCode().setText(timing);
      m.addDosageInstruction(d);
      m.setAuthoredOnElement(new DateTimeType("2023-05-02"));
      resources.add(m);
      return m;
    }

    public MedicationStatement medicationStatement(String id, String code, String display, String dosageText) {
      MedicationStatement s = new MedicationStatement();
      s.setId(prefix + "-" + id);
      s.setSubject(patient);
      s.setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE);
      s.setMedication(cc(RXNORM, code, display));
      s.addDosage(new Dosage().setText(dosageText));
      s.setEffective(new DateTimeType("2025-02-01"));
      resources.add(s);
      return s;
    }

    public AllergyIntolerance allergy(String id, String code, String display, String clinicalStatus,
        AllergyIntolerance.AllergyIntoleranceCriticality criticality, String reactionCode, String reactionDisplay,
        AllergyIntolerance.AllergyIntoleranceSeverity severity) {
      AllergyIntolerance a = new AllergyIntolerance();
      a.setId(prefix + "-" + id);
      a.setPatient(patient);
      a.setCode(cc(SNOMED, code, display));
      a.setClinicalStatus(cc(ALLERGY_CLINICAL, clinicalStatus, null));
      a.setVerificationStatus(cc("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
          "confirmed", null));
      a.setType(AllergyIntolerance.AllergyIntoleranceType.ALLERGY);
      a.addCategory(AllergyIntolerance.AllergyIntoleranceCategory.MEDICATION);
      a.setCriticality(criticality);
      if (reactionCode != null) {
        a.addReaction().setSeverity(severity).addManifestation(cc(SNOMED, reactionCode, reactionDisplay));
      }
      a.setRecordedDateElement(new DateTimeType("2015-06-02"));
      resources.add(a);
      return a;
    }

    public Observation lab(String id, String code, String display, Instant at, BigDecimal value, String unit,
        BigDecimal low, BigDecimal high, String interpretation, String category) {
      Observation o = new Observation();
      o.setId(prefix + "-" + id);
      o.setSubject(patient);
      o.setStatus(Observation.ObservationStatus.FINAL);
      o.addCategory(cc(OBS_CATEGORY, category, null));
      o.setCode(cc(LOINC, code, display));
      o.setEffective(new DateTimeType(at.truncatedTo(ChronoUnit.SECONDS).toString()));
      o.setIssuedElement(new InstantType(at.plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString()));
      o.setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(unit));
      if (low != null || high != null) {
        Observation.ObservationReferenceRangeComponent r = o.addReferenceRange();
        if (low != null) {
          r.setLow(new Quantity().setValue(low).setUnit(unit));
        }
        if (high != null) {
          r.setHigh(new Quantity().setValue(high).setUnit(unit));
        }
      }
      if (interpretation != null) {
        o.addInterpretation(cc(INTERPRETATION, interpretation, null));
      }
      resources.add(o);
      return o;
    }

    public DiagnosticReport report(String id, String code, String display, Instant at, String conclusion,
        List<Observation> results) {
      DiagnosticReport d = new DiagnosticReport();
      d.setId(prefix + "-" + id);
      d.setSubject(patient);
      d.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
      d.addCategory(cc(V2_0074, "LAB", null));
      d.setCode(cc(LOINC, code, display));
      d.setEffective(new DateTimeType(at.truncatedTo(ChronoUnit.SECONDS).toString()));
      d.setConclusion(conclusion);
      results.forEach(o -> d.addResult(new Reference("Observation/" + o.getIdElement().getIdPart())));
      resources.add(d);
      return d;
    }

    /** The patient's FHIR id (the chart's prefix). */
    public String patientId() {
      return prefix;
    }

    /** How many resources the chart has (the patient included). */
    public int size() {
      return resources.size();
    }

    /**
     * Writes the chart unless its Patient already exists (a restart of the local stack keeps what was
     * seeded, dates included): {@code true} when it was written.
     */
    public boolean writeIfAbsent(IGenericClient client) {
      Bundle found = client.search().forResource(Patient.class)
          .where(Patient.RES_ID.exactly().code(prefix)).returnBundle(Bundle.class).execute();
      if (!found.getEntry().isEmpty()) {
        return false;
      }
      writeTo(client);
      return true;
    }

    /**
     * Writes the chart with PUTs (update-as-create: ids are the client's) in transactions of at most 100
     * resources, in the order they were added (a reference's target comes first).
     */
    public void writeTo(IGenericClient client) {
      for (int from = 0; from < resources.size(); from += 100) {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : resources.subList(from, Math.min(resources.size(), from + 100))) {
          String url = r.fhirType() + "/" + r.getIdElement().getIdPart();
          tx.addEntry().setFullUrl(url).setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
        }
        client.transaction().withBundle(tx).execute();
      }
    }
  }

  static CodeableConcept cc(String system, String code, String display) {
    return new CodeableConcept().addCoding(new Coding(system, code, display));
  }

  public static Chart chart(String prefix, String mrn, String given, String family, String birthDate) {
    return new Chart(prefix, mrn, given, family, birthDate);
  }

  /**
   * The sample patient's chart (pat-1001 on the platform, MRN {@code mrn} in the EHR): two active
   * problem-list conditions, a resolved one and an encounter diagnosis; two active medication requests (one
   * through a Medication resource), a stopped one and a medication statement; two active allergies and a
   * resolved one; glucose (high) and sodium two days before {@code now} in a metabolic panel, a potassium
   * 400 days old and a vital sign.
   */
  public static Chart demo(String prefix, String mrn, Instant now) {
    Instant twoDaysAgo = now.minus(2, ChronoUnit.DAYS);
    Chart c = chart(prefix, mrn, "Avery", "Quinn", "1984-07-19");
    c.condition("dm", "44054006", "Diabetes mellitus type 2", "active", "problem-list-item", "2019-03-14");
    c.condition("htn", "38341003", "Hypertensive disorder", "active", "problem-list-item", "2017-08-01");
    c.condition("pharyngitis", "195662009", "Acute viral pharyngitis", "resolved", "problem-list-item", "2024-02-01");
    c.condition("fever", "386661006", "Fever", "active", "encounter-diagnosis", "2025-10-01");
    c.medicationRequest("metformin", "860975", "metformin hydrochloride 500 MG Oral Tablet", "active",
        "500 mg by mouth twice daily with meals");
    c.medicationRequestByReference("lisinopril", "314076", "lisinopril 10 MG Oral Tablet", new BigDecimal("10"), "mg",
        "once daily");
    c.medicationRequest("amlodipine", "197361", "amlodipine 5 MG Oral Tablet", "stopped", "5 mg daily");
    c.medicationStatement("ibuprofen", "310965", "ibuprofen 200 MG Oral Tablet", "200 mg as needed for pain");
    c.allergy("penicillin", "764146007", "Penicillin", "active", AllergyIntolerance.AllergyIntoleranceCriticality.HIGH,
        "271807003", "Skin rash", AllergyIntolerance.AllergyIntoleranceSeverity.MODERATE);
    c.allergy("peanut", "91935009", "Allergy to peanut", "active", AllergyIntolerance.AllergyIntoleranceCriticality.LOW,
        null, null, null);
    c.allergy("latex", "300916003", "Latex allergy", "resolved", AllergyIntolerance.AllergyIntoleranceCriticality.LOW,
        null, null, null);
    Observation glucose = c.lab("glu", "2345-7", "Glucose", twoDaysAgo, new BigDecimal("112"), "mg/dL",
        new BigDecimal("70"), new BigDecimal("99"), "H", "laboratory");
    Observation sodium = c.lab("na", "2951-2", "Sodium", twoDaysAgo, new BigDecimal("139"), "mmol/L",
        new BigDecimal("136"), new BigDecimal("145"), "N", "laboratory");
    c.lab("k-old", "2823-3", "Potassium", now.minus(400, ChronoUnit.DAYS), new BigDecimal("4.1"), "mmol/L", null,
        null, null, "laboratory");
    c.lab("sbp", "8480-6", "Systolic blood pressure", now.minus(1, ChronoUnit.DAYS), new BigDecimal("128"),
        "mm[Hg]", null, null, null, "vital-signs");
    c.report("bmp", "51990-0", "Basic metabolic panel - Blood", twoDaysAgo, "Glucose above range.",
        List.of(glucose, sodium));
    return c;
  }

  /**
   * The local stack's sample patients (the MRNs of the README's and fixtures' EHR messages): {@code
   * pt100234} = MRN 100234 (pat-1001 on the platform), the {@link #demo} chart; {@code pt100301} = MRN
   * 100301, one problem, one medication, one allergy, one result; {@code pt100877} = MRN 100877, a chart
   * with nothing in it (every section empty).
   */
  public static List<Chart> samples(Instant now) {
    Chart riley = chart("pt100301", "100301", "Riley", "Newperson", "1992-05-11");
    riley.condition("asthma", "195967001", "Asthma", "active", "problem-list-item", "2008-04-02");
    riley.medicationRequest("albuterol", "745679", "albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", "active",
        "2 puffs every 4 hours as needed");
    riley.allergy("sulfa", "91939003", "Allergy to sulfonamide", "active",
        AllergyIntolerance.AllergyIntoleranceCriticality.LOW, "271807003", "Skin rash",
        AllergyIntolerance.AllergyIntoleranceSeverity.MILD);
    riley.lab("hgb", "718-7", "Hemoglobin", now.minus(10, ChronoUnit.DAYS), new BigDecimal("13.1"), "g/dL",
        new BigDecimal("12"), new BigDecimal("16"), "N", "laboratory");
    return List.of(demo("pt100234", "100234", now), riley, chart("pt100877", "100877", "Jordan", "Empty", "1990-01-01"));
  }

  /** The realistic chart for the benchmark: 50 conditions, 30 medications, 10 allergies, 500 observations. */
  public static Chart realistic(String prefix, String mrn, Instant now) {
    Chart c = new Chart(prefix, mrn, "Robin", "Example", "1950-02-03");
    for (int i = 0; i < 50; i++) {
      c.condition("c" + i, Integer.toString(100000 + i), "Condition " + i, i % 5 == 0 ? "resolved" : "active",
          i % 7 == 0 ? "encounter-diagnosis" : "problem-list-item", "2010-01-01");
    }
    for (int i = 0; i < 30; i++) {
      c.medicationRequest("m" + i, Integer.toString(200000 + i), "Drug " + i, i % 6 == 0 ? "stopped" : "active",
          (i + 1) + " mg by mouth daily");
    }
    for (int i = 0; i < 10; i++) {
      c.allergy("a" + i, Integer.toString(300000 + i), "Substance " + i, "active",
          AllergyIntolerance.AllergyIntoleranceCriticality.LOW, "271807003", "Skin rash",
          AllergyIntolerance.AllergyIntoleranceSeverity.MILD);
    }
    for (int i = 0; i < 500; i++) {
      c.lab("o" + i, "2345-7", "Glucose", now.minus(i, ChronoUnit.DAYS).minus(1, ChronoUnit.HOURS),
          BigDecimal.valueOf(80 + i % 40), "mg/dL", BigDecimal.valueOf(70), BigDecimal.valueOf(99),
          i % 40 > 19 ? "H" : "N", "laboratory");
    }
    return c;
  }
}
