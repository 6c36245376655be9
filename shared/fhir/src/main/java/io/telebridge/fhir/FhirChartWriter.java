package io.telebridge.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.telebridge.core.context.ChartAccessDenied;
import io.telebridge.core.context.ChartWrite;
import io.telebridge.core.context.ChartWriter;
import io.telebridge.core.context.PatientNotInRecord;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.error.TelebridgeException;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.VisitNote;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

/**
 * The {@link ChartWriter} on a FHIR R4 server with HAPI's generic client (the one {@link FhirContexts}
 * context; auth by the existing interceptors: {@link SmartBackendAuth} or {@link HealthLakeSigV4Auth}).
 * One write:
 * <ol>
 *   <li>{@code GET Patient?identifier=<MRN system>|<mrn>,<platform system>|<id>,urn:telebridge:<tenant>:patient|<id>}
 *       (every identifier known, one search): one Patient (several: the one with the MRN, else refused); none:
 *       with the profile's {@code PatientPolicy.CREATE} (telebridge's own record store) a conditional create of
 *       a Patient of those identifiers, else {@link PatientNotInRecord} (retried: the EHR's registration may not
 *       have reached the record yet);</li>
 *   <li>for an amended or retracted note, {@code GET DocumentReference?identifier=<tenant's note system>|<note
 *       id>} (the stored versions);</li>
 *   <li>{@code GET Encounter?identifier=<tenant's visit system>|<visit id>}: the stored Encounter the event's
 *       is merged into (PUT with {@code ifMatch} on its version; a 409/412 is retried);</li>
 *   <li>the transaction Bundle(s) of {@link R4VisitBundles}, in order, each with
 *       {@code x-amz-fhir-idempotency-key} (the tenant, event, bundle index and the Encounter version read, hashed:
 *       the same key only for the same bundle) when the profile
 *       says so (HealthLake).</li>
 * </ol>
 * The Patient's FHIR id is kept per tenant and MRN (a cross-reference, {@link #PATIENT_ID_TTL}) so later
 * writes for the patient skip step 1; a write that fails after using a kept id drops it.
 *
 * <p>Failures: 408, 429 (honouring {@code Retry-After}: HealthLake's quotas), 5xx and connection failures
 * are retried here by {@link FhirRetry} (every write is conditional or keyed: sending again cannot double),
 * then {@link TransientException} (the FIFO loop retries, then dead-letters); 401/403 →
 * {@link ChartAccessDenied} (also a refused SMART token); any other 4xx →
 * {@link RejectedException} with the status and the OperationOutcome's issue codes (never its text,
 * which may echo patient data). Thread-safe.
 */
public final class FhirChartWriter implements ChartWriter {

  public static final String IDEMPOTENCY_HEADER = "x-amz-fhir-idempotency-key";

  /**
   * {@code Cache-Control: no-cache} on the searches: a server may answer a repeated search from a cache (HAPI's
   * JPA server for a minute), and a retry must see the Patient or note version that is there now.
   */
  private static final ca.uhn.fhir.rest.api.CacheControlDirective NO_CACHE =
      new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true);

  private final FhirContext fhir;
  private final String baseUrl;
  private final VisitRecordProfile profile;
  private final IClientInterceptor auth;
  private final R4VisitBundles bundles;
  private final int pageSize;
  private final FhirRetry retry;
  private final java.time.Clock clock;
  private final java.util.Map<String, KeptId> patientIds = new java.util.concurrent.ConcurrentHashMap<>();

  /** How long a resolved Patient id is reused before it is searched again (a merge in the EHR may move it). */
  public static final java.time.Duration PATIENT_ID_TTL = java.time.Duration.ofMinutes(15);
  private static final int MAX_KEPT_IDS = 10_000;

  private record KeptId(String reference, java.time.Instant until) {}
  private final R4Patients patients;

  /** @param auth signs or authorizes each request (SigV4, SMART bearer token); {@code null} for none */
  public FhirChartWriter(FhirContext fhir, String baseUrl, VisitRecordProfile profile, IClientInterceptor auth) {
    this(fhir, baseUrl, profile, auth, io.telebridge.core.context.FhirSource.MAX_PAGE_SIZE,
        new FhirRetry(3, java.time.Duration.ofMillis(200)), java.time.Clock.systemUTC());
  }

  /**
   * @param pageSize {@code _count} of the note-version search (HealthLake: at most 100)
   * @param retry the backoff on 429 / 5xx / connection failures
   */
  public FhirChartWriter(FhirContext fhir, String baseUrl, VisitRecordProfile profile, IClientInterceptor auth,
      int pageSize, FhirRetry retry, java.time.Clock clock) {
    this.pageSize = pageSize;
    this.retry = retry;
    this.clock = clock;
    this.fhir = fhir;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.profile = profile;
    this.auth = auth;
    this.bundles = new R4VisitBundles(profile, this.baseUrl);
    this.patients = new R4Patients(profile);
  }

  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public ChartWrite write(VisitRecord r) {
    if (!R4VisitBundles.supports(r.type())) {
      throw new IllegalArgumentException("not a visit event: " + r.type());
    }
    IGenericClient client = fhir.newRestfulGenericClient(baseUrl);
    client.setEncoding(EncodingEnum.JSON);
    RequestCounter requests = new RequestCounter();
    client.registerInterceptor(requests);
    client.registerInterceptor(FhirRetry.RETRY_AFTER);
    if (auth != null) {
      client.registerInterceptor(auth);
    }
    R4Patients.Known known = patients.known(r);
    String key = r.tenant() + "|" + R4Patients.search(known);
    KeptId kept = patientIds.get(key);
    boolean reused = kept != null && clock.instant().isBefore(kept.until());
    String patient = reused ? kept.reference() : patient(client, r, known, key);
    try {
      return write(client, requests, r, patient);
    } catch (RuntimeException e) {
      if (reused) {
        patientIds.remove(key); // the kept id may be what failed (a merged or deleted Patient): search again next time
      }
      throw e;
    }
  }

  private ChartWrite write(IGenericClient client, RequestCounter requests, VisitRecord r, String patient) {
    List<DocumentReference> stored = List.of();
    VisitNote note = r.visit() == null ? null : r.visit().note();
    if (r.type() == EventType.VISIT_NOTE_SIGNED && note != null && note.status() != VisitNote.Status.SIGNED) {
      stored = storedVersions(client, r.tenant(), note.id());
    }
    if (r.visit() == null || r.visit().id() == null) {
      throw new RejectedException("event " + r.eventId() + " has no visit id");
    }
    Encounter encounter = storedEncounter(client, r);
    // the key names what the bundles were built from: a retry on the same stored Encounter sends the same bundles
    String encounterVersion = encounter == null ? "-" : encounter.getIdElement().getVersionIdPart();
    List<Bundle> transactions = bundles.transactions(r, patient, stored, encounter);
    List<String> locations = new ArrayList<>();
    int created = 0;
    int entries = 0;
    for (int i = 0; i < transactions.size(); i++) {
      Bundle b = transactions.get(i);
      entries += b.getEntry().size();
      var call = client.transaction().withBundle(b);
      if (profile.idempotencyKeyHeader()) {
        call = call.withAdditionalHeader(IDEMPOTENCY_HEADER,
            R4Entries.sha256(r.tenant() + "|" + r.eventId() + "|" + i + "|" + encounterVersion).substring(0, 40));
      }
      var executable = call;
      Bundle response = call("the transaction", executable::execute);
      for (Bundle.BundleEntryComponent e : response.getEntry()) {
        String status = e.getResponse().getStatus();
        if (status != null && status.startsWith("201")) {
          created++;
        }
        if (e.getResponse().getLocation() != null) {
          locations.add(e.getResponse().getLocation());
        }
      }
    }
    return new ChartWrite(locations, created, entries, requests.count.get());
  }

  /** How many Patient ids are kept (for tests). */
  int keptPatientIds() {
    return patientIds.size();
  }

  /**
   * The one Patient of this patient, as {@code Patient/<id>}: one search by every identifier known (the EHR's MRN,
   * the platform id under the profile's platform system, the platform id under the tenant's telebridge system);
   * several found: the one with the MRN, else refused. None: created ({@code CREATE}) or {@link PatientNotInRecord}.
   * Kept under {@code key} (the tenant and every identifier searched by, so a patient whose MRN arrives later is
   * searched again rather than served an id found without it) for {@link #PATIENT_ID_TTL}.
   */
  private String patient(IGenericClient client, VisitRecord r, R4Patients.Known known, String key) {
    String url = R4Patients.search(known);
    Bundle found = call("the Patient search", () -> client.search().byUrl(url).returnBundle(Bundle.class)
        .cacheControl(NO_CACHE).execute());
    Patient one = patients.choose(found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Patient.class::isInstance).map(Patient.class::cast).toList(), known, r.eventId());
    if (one != null) {
      return keep(key, "Patient/" + one.getIdElement().getIdPart());
    }
    Patient create = patients.toCreate(r, known);
    if (create == null) {
      throw new PatientNotInRecord(r.eventId());
    }
    String match = R4Patients.createdMatch(r);
    var outcome = call("the Patient create", () -> client.create().resource(create).conditionalByUrl(match).execute());
    return keep(key, "Patient/" + outcome.getId().getIdPart());
  }

  private String keep(String key, String reference) {
    if (patientIds.size() >= MAX_KEPT_IDS) {
      patientIds.clear();
    }
    patientIds.put(key, new KeptId(reference, clock.instant().plus(PATIENT_ID_TTL)));
    return reference;
  }

  /** The visit's Encounter as the server holds it (with its version), or null when it holds none. */
  private Encounter storedEncounter(IGenericClient client, VisitRecord r) {
    String url = "Encounter?identifier=" + URLEncoder.encode(VisitRecordProfile.system(r.tenant(), "visit") + "|"
        + R4Patients.escape(r.visit().id()), StandardCharsets.UTF_8) + "&_count=2";
    Bundle found = call("the visit's Encounter search",
        () -> client.search().byUrl(url).returnBundle(Bundle.class).cacheControl(NO_CACHE).execute());
    List<Encounter> encounters = found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Encounter.class::isInstance).map(Encounter.class::cast).toList();
    if (encounters.size() > 1) {
      throw new RejectedException("event " + r.eventId() + ": several FHIR Encounters share the visit's identifier");
    }
    return encounters.isEmpty() ? null : encounters.getFirst();
  }

  private List<DocumentReference> storedVersions(IGenericClient client, String tenant, String noteId) {
    String url = "DocumentReference?identifier=" + URLEncoder.encode(VisitRecordProfile.system(tenant, "note") + "|"
        + noteId, StandardCharsets.UTF_8) + "&_count=" + pageSize;
    Bundle found = call("the note's DocumentReference search",
        () -> client.search().byUrl(url).returnBundle(Bundle.class).cacheControl(NO_CACHE).execute());
    return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(DocumentReference.class::isInstance).map(DocumentReference.class::cast).toList();
  }

  private <T> T call(String what, Supplier<T> request) {
    try {
      return retry.run(request);
    } catch (TelebridgeException e) {
      throw e;
    } catch (FhirClientConnectionException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TelebridgeException te) {
          throw te; // the auth interceptor's own failure (a token endpoint down, refused credentials)
        }
      }
      throw new TransientException(what + ": the FHIR server could not be reached or timed out ("
          + e.getClass().getSimpleName() + ")", null);
    } catch (BaseServerResponseException e) {
      int status = e.getStatusCode();
      String detail = what + ": the FHIR server answered " + status + issues(e);
      if (status == 401 || status == 403) {
        throw new ChartAccessDenied(detail);
      }
      // 409/412: another write of this visit came between the read and the transaction (ifMatch): read again
      if (status == 408 || status == 409 || status == 412 || status == 429 || status >= 500) {
        throw new TransientException(detail, null);
      }
      throw new RejectedException(detail);
    }
  }

  /** The OperationOutcome's issue severities and codes (its diagnostics may echo data: left out). */
  private static String issues(BaseServerResponseException e) {
    if (!(e.getOperationOutcome() instanceof OperationOutcome oo) || oo.getIssue().isEmpty()) {
      return "";
    }
    return " " + oo.getIssue().stream()
        .map(i -> (i.getSeverity() == null ? "?" : i.getSeverity().toCode()) + "/" + (i.getCode() == null ? "?"
            : i.getCode().toCode()))
        .toList();
  }
}
