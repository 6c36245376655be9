package io.telebridge.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.Code;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssembleContextTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Identifier MRN = new Identifier("100234", "EPI", "MR");
  static final Code PROBLEM_LIST = new Code("problem-list-item", "Problem List Item",
      "http://terminology.hl7.org/CodeSystem/condition-category");
  static final Code ENCOUNTER_DX = new Code("encounter-diagnosis", null,
      "http://terminology.hl7.org/CodeSystem/condition-category");

  /** A reader that returns a fixed chart and records the queries it got. */
  static final class InMemoryChartReader implements ChartReader {
    final List<ChartQuery> queries = new ArrayList<>();
    Chart chart;
    RuntimeException failure;

    @Override
    public Chart read(ChartQuery query) {
      queries.add(query);
      if (failure != null) {
        throw failure;
      }
      return chart;
    }

    @Override
    public String source() {
      return "ehr-fhir";
    }

    @Override
    public String baseUrl() {
      return "http://fhir.test/r4";
    }
  }

  final InMemoryChartReader reader = new InMemoryChartReader();
  final FhirProfile profile = new FhirProfile("urn:oid:1.2.3", Duration.ofDays(30), 3, true, 4);
  final AssembleContext assemble = new AssembleContext(
      (tenant, patient) -> "demo-clinic".equals(tenant) && "pat-1001".equals(patient) ? Optional.of(MRN)
          : Optional.empty(),
      tenant -> "demo-clinic".equals(tenant) ? Optional.of(new ContextSources.Source(profile, reader))
          : Optional.empty(),
      CLOCK);

  static ChartPatient patient() {
    return new ChartPatient("p1", new EhrPatient(List.of(MRN), new PatientDemographics(null, null, null, null, null,
        null, null, null)));
  }

  static ClinicalResult obs(String id, String status, Instant at) {
    return new ClinicalResult(id, "Observation", new Code("2345-7", "Glucose", "http://loinc.org"), status,
        at == null ? null : at.toString(), at, null, null, List.of(), List.of(), List.of(), null);
  }

  static Chart chart(List<Problem> problems, List<Medication> meds, List<Allergy> allergies,
      Section<ClinicalResult> results) {
    return new Chart(patient(), Section.complete(problems), Section.complete(meds), Section.complete(allergies),
        results, 2);
  }

  PatientContext ready(ContextOutcome outcome) {
    return assertInstanceOf(ContextOutcome.Ready.class, outcome).context();
  }

  @Test
  void asksTheTenantsSourceForThePatientByMrnWithTheProfilesWindowAndCount() {
    reader.chart = chart(List.of(), List.of(), List.of(), Section.complete(List.of()));
    assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", "apt-3001"));
    ChartQuery q = reader.queries.getFirst();
    assertEquals(MRN, q.mrn());
    assertEquals("urn:oid:1.2.3", q.patientIdentifierSystem());
    assertEquals(NOW.minus(Duration.ofDays(30)), q.resultsSince());
    assertEquals(3, q.resultsMax());
    assertEquals(4, q.maxPages());
    assertTrue(q.medicationStatements());
  }

  @Test
  void keepsOnlyActiveProblemListItems() {
    Problem active = new Problem("c1", new Code("44054006", "Diabetes", "http://snomed.info/sct"), "active",
        "confirmed", List.of(PROBLEM_LIST), null, null);
    Problem resolved = new Problem("c2", null, "resolved", null, List.of(PROBLEM_LIST), null, null);
    Problem diagnosis = new Problem("c3", null, "active", null, List.of(ENCOUNTER_DX), null, null);
    Problem refuted = new Problem("c4", null, "active", "refuted", List.of(PROBLEM_LIST), null, null);
    reader.chart = chart(List.of(active, resolved, diagnosis, refuted), List.of(), List.of(),
        Section.complete(List.of()));
    PatientContext ctx = ready(assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", null)));
    assertEquals(List.of("c1"), ctx.problems().items().stream().map(Problem::fhirId).toList());
    assertTrue(ctx.problems().complete());
  }

  @Test
  void keepsActiveMedicationsOfBothKindsAndCurrentAllergies() {
    Medication request = new Medication("m1", "MedicationRequest", null, "active", "order", "1 tab daily", null);
    Medication stopped = new Medication("m2", "MedicationRequest", null, "stopped", "order", null, null);
    Medication statement = new Medication("m3", "MedicationStatement", null, "active", null, null, null);
    Allergy current = new Allergy("a1", null, "active", "confirmed", "allergy", List.of(), "high", List.of(), null);
    Allergy resolved = new Allergy("a2", null, "resolved", "confirmed", null, List.of(), null, List.of(), null);
    Allergy noStatus = new Allergy("a3", null, null, null, null, List.of(), "low", List.of(), null);
    reader.chart = chart(List.of(), List.of(request, stopped, statement), List.of(current, resolved, noStatus),
        Section.complete(List.of()));
    PatientContext ctx = ready(assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", null)));
    assertEquals(List.of("m1", "m3"), ctx.medications().items().stream().map(Medication::fhirId).toList());
    assertEquals(List.of("a1", "a3"), ctx.allergies().items().stream().map(Allergy::fhirId).toList());
  }

  @Test
  void ordersResultsNewestFirstDropsOldAndVoidOnesAndMarksACutSectionIncomplete() {
    List<ClinicalResult> results = List.of(
        obs("o1", "final", NOW.minus(Duration.ofDays(1))),
        obs("o2", "final", NOW.minus(Duration.ofDays(40))),
        obs("o3", "entered-in-error", NOW.minus(Duration.ofDays(2))),
        obs("o4", "amended", NOW.minus(Duration.ofHours(1))),
        obs("o5", "final", NOW.minus(Duration.ofDays(3))),
        obs("o6", "preliminary", NOW.minus(Duration.ofDays(4))));
    reader.chart = chart(List.of(), List.of(), List.of(), Section.complete(results));
    PatientContext ctx = ready(assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", null)));
    assertEquals(List.of("o4", "o1", "o5"), ctx.results().items().stream().map(ClinicalResult::fhirId).toList());
    assertFalse(ctx.results().complete());
  }

  @Test
  void emptySectionsAreCompleteAndAnUnavailableSectionKeepsItsReason() {
    reader.chart = new Chart(patient(), Section.complete(List.of()), Section.complete(List.of()),
        Section.unavailable(Section.Unavailable.Reason.ACCESS_DENIED, "403 on AllergyIntolerance"),
        Section.complete(List.of()), 1);
    PatientContext ctx = ready(assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", "apt-1")));
    assertTrue(ctx.problems().complete());
    assertTrue(ctx.problems().items().isEmpty());
    assertEquals(Section.Unavailable.Reason.ACCESS_DENIED, ctx.allergies().unavailable().reason());
    assertFalse(ctx.allergies().complete());
  }

  @Test
  void recordsProvenanceWithSourceFetchTimePatientIdAndRoundTrips() {
    reader.chart = chart(List.of(), List.of(), List.of(), Section.complete(List.of()));
    PatientContext ctx = ready(assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", "apt-1")));
    assertEquals(new Provenance("ehr-fhir", "http://fhir.test/r4", NOW, "p1", 2), ctx.provenance());
    assertEquals(NOW.toEpochMilli(), ctx.version());
    assertEquals("apt-1", ctx.appointmentId());
  }

  @Test
  void saysWhyWhenThereIsNoContext() {
    Map<ContextRequest, Section.Unavailable.Reason> cases = Map.of(
        new ContextRequest("demo-clinic", "pat-unlinked", null), Section.Unavailable.Reason.PATIENT_NOT_LINKED,
        new ContextRequest("other-clinic", "pat-1001", null), Section.Unavailable.Reason.PATIENT_NOT_LINKED);
    cases.forEach((req, reason) -> assertEquals(reason,
        assertInstanceOf(ContextOutcome.Unavailable.class, assemble.assemble(req)).reason()));

    reader.chart = Chart.notFound(1);
    assertEquals(Section.Unavailable.Reason.PATIENT_NOT_FOUND, assertInstanceOf(ContextOutcome.Unavailable.class,
        assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", null))).reason());

    reader.failure = new ChartAccessDenied("token endpoint answered 401");
    assertEquals(Section.Unavailable.Reason.ACCESS_DENIED, assertInstanceOf(ContextOutcome.Unavailable.class,
        assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", null))).reason());
  }

  @Test
  void aTenantWithoutSourceIsUnavailableAndAFailingServerIsLeftToTheCallersRetry() {
    AssembleContext noSource = new AssembleContext((t, p) -> Optional.of(MRN), t -> Optional.empty(), CLOCK);
    assertEquals(Section.Unavailable.Reason.NO_FHIR_SOURCE, assertInstanceOf(ContextOutcome.Unavailable.class,
        noSource.assemble(new ContextRequest("demo-clinic", "pat-1001", null))).reason());
    reader.failure = new TransientException("FHIR server answered 503", null);
    assertThrows(TransientException.class,
        () -> assemble.assemble(new ContextRequest("demo-clinic", "pat-1001", null)));
  }

  @Test
  void aPullIsOneEventWhoseIdIsStableForItsVersionAndWhoseGroupIsTheTenantsPatient() {
    reader.chart = chart(List.of(), List.of(), List.of(), Section.complete(List.of()));
    ContextRequest req = new ContextRequest("demo-clinic", "pat-1001", "apt-1");
    ContextOutcome first = assemble.assemble(req);
    assertEquals(first.eventId(), assemble.assemble(req).eventId());
    AssembleContext later = new AssembleContext((t, p) -> Optional.of(MRN),
        t -> Optional.of(new ContextSources.Source(profile, reader)), Clock.offset(CLOCK, Duration.ofMinutes(5)));
    assertFalse(first.eventId().equals(later.assemble(req).eventId()));
    assertEquals("demo-clinic:pat-1001", first.groupId());
    assertEquals("patient.context.ready", first.eventType());
  }
}
