package io.telebridge.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.telebridge.core.context.Allergy;
import io.telebridge.core.context.Chart;
import io.telebridge.core.context.ChartAccessDenied;
import io.telebridge.core.context.ChartPatient;
import io.telebridge.core.context.ChartQuery;
import io.telebridge.core.context.ChartReader;
import io.telebridge.core.context.ClinicalResult;
import io.telebridge.core.context.Medication;
import io.telebridge.core.context.Problem;
import io.telebridge.core.context.Section;
import io.telebridge.core.error.TransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads one patient's chart from a FHIR R4 server in one round trip where the server supports batch:
 * a {@code batch} Bundle of searches, every one keyed by the MRN through a chained parameter
 * ({@code patient.identifier=<system>|<mrn>}) so none waits for the Patient's id:
 * <ol>
 *   <li>{@code Patient?identifier=…}</li>
 *   <li>{@code Condition?…&clinical-status=active&category=problem-list-item}</li>
 *   <li>{@code MedicationRequest?…&status=active&_include=MedicationRequest:medication}</li>
 *   <li>{@code MedicationStatement?…&status=active&_include=MedicationStatement:medication} (if the profile says the EHR uses it)</li>
 *   <li>{@code AllergyIntolerance?…}</li>
 *   <li>{@code Observation?…&category=laboratory&date=ge<since>&_sort=-date&_count=<resultsMax>}</li>
 *   <li>{@code DiagnosticReport?…&category=LAB&date=ge<since>&_sort=-date&_count=<resultsMax>}</li>
 * </ol>
 * Each list search asks for {@code _count=<pageSize>} and follows {@code next} links to the query's
 * page limit (a section cut there is marked not complete); results take one page of the newest. A
 * server that refuses batch (400/404/405/501 on the batch itself) gets the same searches one by one.
 * Items whose subject is not the one Patient found are dropped (a chained search on an MRN two
 * Patients share would mix charts: two Patients count as not found).
 *
 * <p>Failures: 401/403 on a request → {@link ChartAccessDenied} (a 403 on one search only makes
 * that section unavailable); 429 and 5xx (also inside a batch entry) and connection failures are
 * retried with exponential backoff and jitter, honouring {@code Retry-After}, then
 * {@link TransientException}. Thread-safe: each read uses its own client and round-trip counter.
 */
public final class FhirChartReader implements ChartReader {

  /**
   * @param source {@code healthlake} or {@code ehr-fhir} (for provenance)
   * @param pageSize {@code _count} of the list searches (HealthLake: at most 100)
   * @param authorities FHIR identifier system → the HL7 assigning authority the project uses for it
   * @param batch whether to try a batch Bundle first
   * @param maxAttempts attempts per request on 429 / 5xx / connection failure
   * @param firstBackoff the first wait; doubled each attempt, with jitter, capped at 5 s
   */
  public record Settings(String source, String baseUrl, int pageSize, Map<String, String> authorities, boolean batch,
      int maxAttempts, Duration firstBackoff) {

    public Settings {
      authorities = Map.copyOf(authorities);
      if (pageSize < 1 || maxAttempts < 1) {
        throw new IllegalArgumentException("pageSize and maxAttempts must be positive");
      }
      baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public static Settings defaults(String source, String baseUrl, Map<String, String> authorities) {
      return new Settings(source, baseUrl, 100, authorities, true, 4, Duration.ofMillis(200));
    }
  }

  /** How the reader waits between attempts (a test passes one that does not sleep). */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final FhirContext fhir;
  private final Settings settings;
  private final IClientInterceptor auth;
  private final FhirRetry retry;
  private final ChartSearches wire;
  private final R4ChartMapper mapper;

  /** @param auth signs or authorizes each request (SigV4, SMART bearer token); {@code null} for none */
  public FhirChartReader(FhirContext fhir, Settings settings, IClientInterceptor auth, Sleeper sleeper) {
    this.fhir = fhir;
    this.settings = settings;
    this.auth = auth;
    this.retry = new FhirRetry(settings.maxAttempts(), settings.firstBackoff(), sleeper::sleep);
    this.wire = new ChartSearches(settings.pageSize(), settings.batch(), retry);
    this.mapper = new R4ChartMapper(fhir, settings.authorities());
  }

  public FhirChartReader(FhirContext fhir, Settings settings, IClientInterceptor auth) {
    this(fhir, settings, auth, d -> Thread.sleep(d));
  }

  /** How many times this reader backed off (429 / 5xx / connection failures), for tests and metrics. */
  public int backoffs() {
    return retry.backoffs();
  }

  @Override
  public String source() {
    return settings.source();
  }

  @Override
  public String baseUrl() {
    return settings.baseUrl();
  }

  @Override
  public Chart read(ChartQuery q) {
    IGenericClient client = fhir.newRestfulGenericClient(settings.baseUrl());
    client.setEncoding(EncodingEnum.JSON);
    RequestCounter trips = new RequestCounter();
    client.registerInterceptor(trips);
    client.registerInterceptor(FhirRetry.RETRY_AFTER);
    if (auth != null) {
      client.registerInterceptor(auth);
    }
    List<ChartSearches.Search> searches = wire.searches(q);
    List<Bundle> pages = wire.firstPages(client, searches);

    List<Patient> found = resources(pages.getFirst(), Patient.class, true);
    if (found.size() != 1) {
      return Chart.notFound(trips.count.get());
    }
    ChartPatient patient = mapper.patient(found.getFirst());
    String pid = patient.fhirId();

    Section<Problem> problems = Section.complete(List.of());
    List<Medication> meds = new ArrayList<>();
    Section<Medication> medications = null;
    Section<Allergy> allergies = Section.complete(List.of());
    List<ClinicalResult> results = new ArrayList<>();
    Section<ClinicalResult> resultsSection = null;
    boolean medsComplete = true;
    boolean resultsComplete = true;
    for (int i = 1; i < searches.size(); i++) {
      ChartSearches.Kind kind = searches.get(i).kind();
      Bundle first = pages.get(i);
      Section.Unavailable unavailable = first == null ? null : ChartSearches.unavailableOf(first);
      if (first == null || unavailable != null) {
        Section.Unavailable u = unavailable != null ? unavailable
            : new Section.Unavailable(Section.Unavailable.Reason.NOT_SUPPORTED, kind + " search failed");
        switch (kind) {
          case CONDITION -> problems = Section.unavailable(u.reason(), u.detail());
          case MEDICATION_REQUEST, MEDICATION_STATEMENT -> medications = Section.unavailable(u.reason(), u.detail());
          case ALLERGY -> allergies = Section.unavailable(u.reason(), u.detail());
          default -> resultsSection = Section.unavailable(u.reason(), u.detail());
        }
        continue;
      }
      boolean onePage = kind == ChartSearches.Kind.OBSERVATION || kind == ChartSearches.Kind.REPORT;
      ChartSearches.Paged paged = wire.follow(client, first, onePage ? 1 : q.maxPages());
      switch (kind) {
        case CONDITION -> {
          List<Problem> items = ofSubject(paged.bundles(), Condition.class, pid, c -> c.getSubject()).stream()
              .map(R4ChartMapper::problem).toList();
          problems = paged.complete() ? Section.complete(items) : Section.partial(items);
        }
        case MEDICATION_REQUEST -> {
          Map<String, org.hl7.fhir.r4.model.Medication> included = included(paged.bundles());
          ofSubject(paged.bundles(), MedicationRequest.class, pid, MedicationRequest::getSubject)
              .forEach(m -> meds.add(R4ChartMapper.medication(m, included)));
          medsComplete &= paged.complete();
        }
        case MEDICATION_STATEMENT -> {
          Map<String, org.hl7.fhir.r4.model.Medication> included = included(paged.bundles());
          ofSubject(paged.bundles(), MedicationStatement.class, pid, MedicationStatement::getSubject)
              .forEach(m -> meds.add(R4ChartMapper.medication(m, included)));
          medsComplete &= paged.complete();
        }
        case ALLERGY -> {
          List<Allergy> items = ofSubject(paged.bundles(), AllergyIntolerance.class, pid,
              AllergyIntolerance::getPatient).stream().map(R4ChartMapper::allergy).toList();
          allergies = paged.complete() ? Section.complete(items) : Section.partial(items);
        }
        case OBSERVATION -> {
          ofSubject(paged.bundles(), Observation.class, pid, Observation::getSubject)
              .forEach(o -> results.add(R4ChartMapper.observation(o)));
          resultsComplete &= paged.complete();
        }
        case REPORT -> {
          ofSubject(paged.bundles(), DiagnosticReport.class, pid, DiagnosticReport::getSubject)
              .forEach(d -> results.add(R4ChartMapper.report(d)));
          resultsComplete &= paged.complete();
        }
        default -> throw new IllegalStateException(kind.name());
      }
    }
    if (medications == null) {
      medications = medsComplete ? Section.complete(meds) : Section.partial(meds);
    }
    if (resultsSection == null) {
      resultsSection = resultsComplete ? Section.complete(results) : Section.partial(results);
    }
    return new Chart(patient, problems, medications, allergies, resultsSection, trips.count.get());
  }

  private static <T extends Resource> List<T> resources(Bundle b, Class<T> type, boolean matchesOnly) {
    List<T> out = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      boolean include = e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE;
      if (type.isInstance(e.getResource()) && !(matchesOnly && include)) {
        out.add(type.cast(e.getResource()));
      }
    }
    return out;
  }

  private static <T extends Resource> List<T> ofSubject(List<Bundle> bundles, Class<T> type, String patientId,
      java.util.function.Function<T, Reference> subject) {
    List<T> out = new ArrayList<>();
    for (Bundle b : bundles) {
      for (T r : resources(b, type, true)) {
        if (patientId.equals(subject.apply(r).getReferenceElement().getIdPart())) {
          out.add(r);
        }
      }
    }
    return out;
  }

  private static Map<String, org.hl7.fhir.r4.model.Medication> included(List<Bundle> bundles) {
    Map<String, org.hl7.fhir.r4.model.Medication> out = new HashMap<>();
    for (Bundle b : bundles) {
      for (org.hl7.fhir.r4.model.Medication m : resources(b, org.hl7.fhir.r4.model.Medication.class, false)) {
        out.put(m.getIdElement().getIdPart(), m);
      }
    }
    return out;
  }
}
