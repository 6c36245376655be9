package io.telebridge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.context.Allergy;
import io.telebridge.core.context.ChartPatient;
import io.telebridge.core.context.ClinicalResult;
import io.telebridge.core.context.ContextOutcome;
import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.context.Medication;
import io.telebridge.core.context.PatientContext;
import io.telebridge.core.context.Problem;
import io.telebridge.core.context.Provenance;
import io.telebridge.core.context.Section;
import io.telebridge.core.fromehr.Code;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Phone;
import io.telebridge.core.model.Sex;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The context events as JSON, against the golden samples {@code events/outbound/patient.context.*.json}
 * (which {@code python3 api/check_samples.py} validates against the schema). Rewrite them after an
 * intended change, then review the diff:
 * {@code mvn -pl shared/json -am test -Dtest=ContextEventWriterTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 */
class ContextEventWriterTest {

  static final Path SAMPLES = Path.of(System.getProperty("telebridge.events.dir", "../../events")).resolve("outbound");
  static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  static final String LOINC = "http://loinc.org";
  static final String SNOMED = "http://snomed.info/sct";
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  static final Instant FETCHED = Instant.parse("2025-11-20T13:00:00Z");
  static final ContextRequest REQUEST = new ContextRequest("demo-clinic", "pat-1001", "apt-3001");

  static PatientContext sampleContext() {
    EhrPatient patient = new EhrPatient(List.of(new Identifier("100234", "EPI", "MR")),
        new PatientDemographics(null, new PersonName(List.of("Avery"), "Quinn", null, null), LocalDate.of(1984, 7, 19),
            Sex.FEMALE, List.of(new Phone("mobile", "+15555550142")), null, null, null));
    Code problemList = new Code("problem-list-item", "Problem List Item",
        "http://terminology.hl7.org/CodeSystem/condition-category");
    Problem diabetes = new Problem("cond-diabetes", new Code("44054006", "Diabetes mellitus type 2", SNOMED), "active",
        "confirmed", List.of(problemList), "2019-03", "2019-03-14");
    Medication metformin = new Medication("medrx-metformin", "MedicationRequest",
        new Code("860975", "metformin hydrochloride 500 MG Oral Tablet", RXNORM), "active", "order",
        "500 mg by mouth twice daily with meals", "2024-01-10");
    Allergy penicillin = new Allergy("allergy-penicillin", new Code("764146007", "Penicillin", SNOMED), "active",
        "confirmed", "allergy", List.of("medication"), "high",
        List.of(new Allergy.Reaction(List.of(new Code("271807003", "Skin rash", SNOMED)), "moderate", null)),
        "2015-06-02");
    ClinicalResult glucose = new ClinicalResult("obs-glucose", "Observation", new Code("2345-7", "Glucose", LOINC),
        "final", "2025-11-18T08:00:00-05:00", Instant.parse("2025-11-18T13:00:00Z"), "2025-11-18T14:25:00-05:00",
        new ClinicalResult.Value.Quantity(new BigDecimal("112"), null, "mg/dL", "mg/dL"),
        List.of(new ClinicalResult.Range(new BigDecimal("70"), new BigDecimal("99"), "mg/dL", null)),
        List.of(new Code("H", "High", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation")),
        List.of(), null);
    ClinicalResult panel = new ClinicalResult("dr-bmp", "DiagnosticReport",
        new Code("51990-0", "Basic metabolic panel - Blood", LOINC), "final", "2025-11-18T08:00:00-05:00",
        Instant.parse("2025-11-18T13:00:00Z"), "2025-11-18T14:25:00-05:00", null, List.of(), List.of(),
        List.of("obs-glucose"), "Glucose above range; otherwise unremarkable.");
    return new PatientContext("demo-clinic", "pat-1001", "apt-3001", FETCHED.toEpochMilli(),
        new ChartPatient("pat-fhir-1001", patient), Section.complete(List.of(diabetes)),
        Section.complete(List.of(metformin)), Section.complete(List.of(penicillin)),
        Section.complete(List.of(panel, glucose)),
        new Provenance("ehr-fhir", "https://fhir.ehr.example/r4", FETCHED, "pat-fhir-1001", 2));
  }

  static void golden(String name, JsonNode event) throws IOException {
    Path file = SAMPLES.resolve(name + ".json");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, JSON.writeValueAsString(event) + "\n", StandardCharsets.UTF_8);
    }
    assertTrue(Files.isRegularFile(file), file + " missing (run with -Dgolden.update=true)");
    assertEquals(JSON.readTree(Files.readString(file)), event, name);
  }

  @Test
  void aReadyContextIsTheGoldenSample() throws IOException {
    String json = new ContextEventWriter().write(new ContextOutcome.Ready(REQUEST, sampleContext()));
    golden("patient.context.ready", JSON.readTree(json));
  }

  @Test
  void anUnavailableContextCarriesTheReasonCodeAndNoDetail() throws IOException {
    ContextOutcome.Unavailable outcome = new ContextOutcome.Unavailable(REQUEST,
        Section.Unavailable.Reason.FHIR_UNAVAILABLE, "503 from https://fhir.ehr.example", FETCHED);
    String json = new ContextEventWriter().write(outcome);
    assertFalse(json.contains("503"), json);
    golden("patient.context.unavailable", JSON.readTree(json));
  }

  @Test
  void emptyAndUnreadableSectionsAreExplicitArraysWithTheirState() {
    PatientContext full = sampleContext();
    PatientContext ctx = new PatientContext(full.tenant(), full.platformPatientId(), null, full.version(),
        full.patient(), Section.complete(List.of()), full.medications(),
        Section.unavailable(Section.Unavailable.Reason.ACCESS_DENIED, "403"), Section.partial(full.results().items()),
        full.provenance());
    JsonNode node = JSON.readTree(new ContextEventWriter().write(new ContextOutcome.Ready(REQUEST, ctx)));
    JsonNode c = node.path("data").path("context");
    assertTrue(c.path("problems").isArray() && c.path("problems").isEmpty());
    assertTrue(c.path("sections").path("problems").path("complete").asBoolean());
    assertTrue(c.path("allergies").isArray() && c.path("allergies").isEmpty());
    assertEquals("access_denied", c.path("sections").path("allergies").path("unavailable").path("reason").asString());
    assertFalse(c.path("sections").path("allergies").path("complete").asBoolean());
    assertFalse(c.path("sections").path("results").path("complete").asBoolean());
    assertTrue(c.path("sections").path("results").path("unavailable").isMissingNode());
  }
}
