package io.telebridge.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.telebridge.core.context.ChartAccessDenied;
import io.telebridge.core.context.ChartQuery;
import io.telebridge.core.context.Section;
import io.telebridge.core.error.TelebridgeException;
import io.telebridge.core.error.TransientException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The wire side of {@link FhirChartReader}: the searches of one chart read (keyed by the MRN through
 * chained parameters), their first pages in one batch or one by one when the server refuses batch, the
 * {@code next} links followed to a page limit, and the HTTP answers mapped to the project's failures
 * (401/403 → {@link ChartAccessDenied}, 429/5xx/connection → retried, then {@link TransientException}, any
 * other 4xx → that search not supported). Thread-safe: the client is the caller's, one per read.
 */
final class ChartSearches {

  private final int pageSize;
  private final boolean batch;
  private final FhirRetry retry;

  ChartSearches(int pageSize, boolean batch, FhirRetry retry) {
    this.pageSize = pageSize;
    this.batch = batch;
    this.retry = retry;
  }

  enum Kind { PATIENT, CONDITION, MEDICATION_REQUEST, MEDICATION_STATEMENT, ALLERGY, OBSERVATION, REPORT }

  record Search(Kind kind, String url) {}

  /** The searches of one chart read, the Patient search first. */
  List<Search> searches(ChartQuery q) {
    String mrn = enc(q.patientIdentifierSystem() + "|" + q.mrn().value());
    String byPatient = "patient.identifier=" + mrn;
    String count = "&_count=" + pageSize;
    String since = enc("ge" + q.resultsSince().toString());
    List<Search> s = new ArrayList<>();
    s.add(new Search(Kind.PATIENT, "Patient?identifier=" + mrn));
    s.add(new Search(Kind.CONDITION, "Condition?" + byPatient + "&clinical-status=active&category=problem-list-item"
        + count));
    s.add(new Search(Kind.MEDICATION_REQUEST, "MedicationRequest?" + byPatient
        + "&status=active&_include=MedicationRequest:medication" + count));
    if (q.medicationStatements()) {
      s.add(new Search(Kind.MEDICATION_STATEMENT, "MedicationStatement?" + byPatient
          + "&status=active&_include=MedicationStatement:medication" + count));
    }
    s.add(new Search(Kind.ALLERGY, "AllergyIntolerance?" + byPatient + count));
    s.add(new Search(Kind.OBSERVATION, "Observation?" + byPatient + "&category=laboratory&date=" + since
        + "&_sort=-date&_count=" + q.resultsMax()));
    s.add(new Search(Kind.REPORT, "DiagnosticReport?" + byPatient + "&category=LAB&date=" + since
        + "&_sort=-date&_count=" + q.resultsMax()));
    return s;
  }

  /** The first page of every search: one batch, or the searches one by one when the server refuses batch. */
  List<Bundle> firstPages(IGenericClient client, List<Search> searches) {
    if (batch) {
      Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
      searches.forEach(s -> batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(s.url()));
      Bundle response;
      try {
        response = retrying(() -> {
          Bundle r = client.transaction().withBundle(batch).execute();
          for (Bundle.BundleEntryComponent e : r.getEntry()) {
            int status = status(e);
            if (status == 429 || status >= 500) {
              throw new FhirRetry.RetryableAnswer(status);
            }
          }
          return r;
        });
      } catch (NotSupported e) {
        response = null;
      }
      if (response != null) {
        List<Bundle> pages = new ArrayList<>();
        for (int i = 0; i < searches.size(); i++) {
          Bundle.BundleEntryComponent e = i < response.getEntry().size() ? response.getEntry().get(i) : null;
          pages.add(e == null ? null : entryBundle(e));
        }
        if (pages.getFirst() == null || unavailableOf(pages.getFirst()) != null) {
          throw new ChartAccessDenied("the Patient search was refused (" + statusText(response.getEntryFirstRep())
              + ")");
        }
        return pages;
      }
    }
    List<Bundle> pages = new ArrayList<>();
    for (Search s : searches) {
      try {
        pages.add(retrying(() -> client.search().byUrl(s.url()).returnBundle(Bundle.class).execute()));
      } catch (NotSupported e) {
        if (s.kind() == Kind.PATIENT) {
          throw new TransientException("the Patient search failed (" + e.status + ")", null);
        }
        pages.add(null);
      } catch (ChartAccessDenied e) {
        if (s.kind() == Kind.PATIENT) {
          throw e;
        }
        pages.add(forbidden());
      }
    }
    return pages;
  }

  record Paged(List<Bundle> bundles, boolean complete) {}

  /** {@code first} and the pages its {@code next} links lead to, up to {@code maxPages}. */
  Paged follow(IGenericClient client, Bundle first, int maxPages) {
    List<Bundle> bundles = new ArrayList<>();
    bundles.add(first);
    Bundle page = first;
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      if (bundles.size() >= maxPages) {
        return new Paged(bundles, false);
      }
      Bundle current = page;
      try {
        page = retrying(() -> client.loadPage().next(current).execute());
      } catch (NotSupported e) {
        return new Paged(bundles, false);
      }
      bundles.add(page);
    }
    return new Paged(bundles, true);
  }

  /** Why a first page stands for no section (a 403 on that search), or null when it is a searchset. */
  static Section.Unavailable unavailableOf(Bundle b) {
    return "forbidden".equals(b.getIdElement().getIdPart())
        ? new Section.Unavailable(Section.Unavailable.Reason.ACCESS_DENIED, "403") : null;
  }

  private static Bundle forbidden() {
    Bundle b = new Bundle();
    b.setId("forbidden");
    return b;
  }

  /** The searchset of a batch response entry, or a marker for a refused / unsupported search. */
  private static Bundle entryBundle(Bundle.BundleEntryComponent e) {
    int status = status(e);
    if (status == 401 || status == 403) {
      return forbidden();
    }
    if (status >= 200 && status < 300 && e.getResource() instanceof Bundle b) {
      return b;
    }
    return null;
  }

  private static int status(Bundle.BundleEntryComponent e) {
    String s = e.getResponse().getStatus();
    if (s == null || s.length() < 3) {
      return 0;
    }
    try {
      return Integer.parseInt(s.substring(0, 3));
    } catch (NumberFormatException x) {
      return 0;
    }
  }

  private static String statusText(Bundle.BundleEntryComponent e) {
    return e == null ? "no entry" : String.valueOf(status(e));
  }

  /** A 4xx other than 401/403/408/429: the server does not support this request. */
  private static final class NotSupported extends RuntimeException {
    final int status;

    NotSupported(int status) {
      super("status " + status, null, false, false);
      this.status = status;
    }
  }

  private <T> T retrying(Supplier<T> call) {
    try {
      return retry.run(call);
    } catch (FhirClientConnectionException e) {
      TelebridgeException cause = FhirRetry.telebridgeCause(e);
      if (cause != null) {
        throw cause;
      }
      throw new TransientException("the FHIR server could not be reached (" + e.getClass().getSimpleName()
          + ") after " + retry.maxAttempts() + " attempts", null);
    } catch (BaseServerResponseException e) {
      int status = e.getStatusCode();
      if (status == 401 || status == 403) {
        throw new ChartAccessDenied("the FHIR server answered " + status);
      }
      if (!FhirRetry.retryable(status)) {
        throw new NotSupported(status);
      }
      throw new TransientException("the FHIR server answered " + status + " after " + retry.maxAttempts()
          + " attempts", null);
    } catch (FhirRetry.RetryableAnswer e) {
      throw new TransientException("a batch entry answered " + e.status + " after " + retry.maxAttempts()
          + " attempts", null);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
