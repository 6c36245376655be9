package io.telebridge.core.context;

import io.telebridge.core.fromehr.Code;
import io.telebridge.core.model.Identifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Builds the app-ready context of one platform patient: MRN from the identity index → the tenant's
 * FHIR source → the chart, then keeps what the clinician needs and the document promises, whatever the
 * server's search support: problems whose clinical status is {@code active} (or {@code recurrence},
 * {@code relapse}) in the {@code problem-list-item} category; MedicationRequests and
 * MedicationStatements that are {@code active}; allergies that are not {@code inactive} /
 * {@code resolved} nor {@code refuted} / {@code entered-in-error}; results that are not
 * {@code entered-in-error} / {@code cancelled}, dated within the profile's window, newest first, at most
 * the profile's count (a cut makes the section not complete).
 *
 * <p>A patient the index does not link, a tenant without a source, an MRN the server does not know and
 * a server that refuses the credentials give {@link ContextOutcome.Unavailable} with a reason code; a
 * server that fails throws {@link io.telebridge.core.error.TransientException} for the caller to retry.
 */
public final class AssembleContext {

  static final String PROBLEM_LIST_ITEM = "problem-list-item";
  private static final Set<String> ACTIVE_PROBLEM = Set.of("active", "recurrence", "relapse");
  private static final Set<String> INACTIVE_ALLERGY = Set.of("inactive", "resolved");
  private static final Set<String> VOID_VERIFICATION = Set.of("refuted", "entered-in-error");
  private static final Set<String> VOID_RESULT = Set.of("entered-in-error", "cancelled");

  private final MrnDirectory mrns;
  private final ContextSources sources;
  private final Clock clock;

  public AssembleContext(MrnDirectory mrns, ContextSources sources, Clock clock) {
    this.mrns = mrns;
    this.sources = sources;
    this.clock = clock;
  }

  public ContextOutcome assemble(ContextRequest request) {
    Optional<Identifier> mrn = mrns.mrnOf(request.tenant(), request.platformPatientId());
    if (mrn.isEmpty()) {
      return unavailable(request, Section.Unavailable.Reason.PATIENT_NOT_LINKED, "no MRN in the identity index");
    }
    Optional<ContextSources.Source> source = sources.forTenant(request.tenant());
    if (source.isEmpty()) {
      return unavailable(request, Section.Unavailable.Reason.NO_FHIR_SOURCE, "tenant has no FHIR source");
    }
    FhirProfile profile = source.get().profile();
    ChartReader reader = source.get().reader();
    Instant fetchedAt = clock.instant();
    Instant since = fetchedAt.minus(profile.resultsWindow());
    Chart chart;
    try {
      chart = reader.read(new ChartQuery(request.tenant(), mrn.get(), profile.patientIdentifierSystem(), since,
          profile.resultsMax(), profile.medicationStatements(), profile.maxPages()));
    } catch (ChartAccessDenied e) {
      return unavailable(request, Section.Unavailable.Reason.ACCESS_DENIED, e.getMessage());
    }
    if (chart.patient() == null) {
      return unavailable(request, Section.Unavailable.Reason.PATIENT_NOT_FOUND, "no Patient with the MRN");
    }
    Provenance provenance = new Provenance(reader.source(), reader.baseUrl(), fetchedAt, chart.patient().fhirId(),
        chart.roundTrips());
    return new ContextOutcome.Ready(request, new PatientContext(request.tenant(), request.platformPatientId(),
        request.appointmentId(), fetchedAt.toEpochMilli(), chart.patient(),
        keep(chart.problems(), AssembleContext::isActiveProblem),
        keep(chart.medications(), m -> "active".equals(lower(m.status()))),
        keep(chart.allergies(), AssembleContext::isCurrentAllergy),
        recent(chart.results(), since, profile.resultsMax()),
        provenance));
  }

  private ContextOutcome unavailable(ContextRequest request, Section.Unavailable.Reason reason, String detail) {
    return new ContextOutcome.Unavailable(request, reason, detail, clock.instant());
  }

  static boolean isActiveProblem(Problem p) {
    return ACTIVE_PROBLEM.contains(lower(p.clinicalStatus()))
        && !VOID_VERIFICATION.contains(lower(p.verificationStatus()))
        && p.categories().stream().map(Code::code).anyMatch(PROBLEM_LIST_ITEM::equals);
  }

  static boolean isCurrentAllergy(Allergy a) {
    return !INACTIVE_ALLERGY.contains(lower(a.clinicalStatus()))
        && !VOID_VERIFICATION.contains(lower(a.verificationStatus()));
  }

  private static <T> Section<T> keep(Section<T> section, Predicate<T> wanted) {
    if (!section.available()) {
      return section;
    }
    return new Section<>(section.items().stream().filter(wanted).toList(), section.complete(), null);
  }

  /** Observations first then reports would split a panel from its values: one list, newest first. */
  private static Section<ClinicalResult> recent(Section<ClinicalResult> section, Instant since, int max) {
    if (!section.available()) {
      return section;
    }
    List<ClinicalResult> kept = new ArrayList<>();
    for (ClinicalResult r : section.items()) {
      if (VOID_RESULT.contains(lower(r.status()))) {
        continue;
      }
      if (r.effectiveAt() != null && r.effectiveAt().isBefore(since)) {
        continue;
      }
      kept.add(r);
    }
    kept.sort(Comparator.comparing(ClinicalResult::effectiveAt, Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(ClinicalResult::resourceType).thenComparing(ClinicalResult::fhirId));
    boolean cut = kept.size() > max;
    List<ClinicalResult> shown = cut ? kept.subList(0, max) : kept;
    return new Section<>(shown, section.complete() && !cut, null);
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
