package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.csrfField;
import static io.telebridge.toehr.ConsoleHtml.esc;
import static io.telebridge.toehr.ConsoleHtml.url;
import static io.telebridge.toehr.ConsoleRequest.ID;
import static io.telebridge.toehr.ConsoleRequest.checked;
import static io.telebridge.toehr.ConsoleRequest.notFound;
import static io.telebridge.toehr.ConsoleRequest.redirect;

import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.ReviewCase;
import io.telebridge.matching.mpi.ReviewCases;
import io.telebridge.toehr.ConsoleRequest.Refused;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The console's review pages: the open cases of the caller's tenants with the candidates side by side
 * (names and dates only on request, access-logged), and a case resolved by linking to a candidate or
 * creating a new patient. The use case is the review API's ({@link ReviewCases}).
 */
final class ConsoleReviews {

  private static final System.Logger LOG = System.getLogger(ConsoleReviews.class.getName());

  private final ReviewCases reviews;

  ConsoleReviews(ReviewCases reviews) {
    this.reviews = reviews;
  }

  /** Open cases of the tenant (the overview's count). */
  int open(String tenant) {
    return reviews.open(tenant).size();
  }

  HttpApiResponse route(ConsoleRequest r, List<String> p, boolean get) {
    if (p.size() == 1 && get) {
      return reviewsPage(r, null);
    }
    if (p.size() == 2 && get) {
      return reviewsPage(r, checked(p.get(1)));
    }
    if (p.size() == 3 && !get && p.get(2).equals("resolution")) {
      return resolve(r, checked(p.get(1)));
    }
    return notFound();
  }

  private HttpApiResponse reviewsPage(ConsoleRequest r, String onlyCase) {
    boolean demographics = onlyCase != null && "demographics".equals(r.q("show"));
    StringBuilder b = new StringBuilder();
    List<ReviewCase> cases = new ArrayList<>();
    for (String t : r.tenants()) {
      if (onlyCase == null) {
        cases.addAll(reviews.open(t));
      } else {
        reviews.get(t, onlyCase).ifPresent(cases::add);
      }
    }
    if (onlyCase != null && cases.isEmpty()) {
      throw new Refused(404, "no review case " + onlyCase + " of your tenants");
    }
    b.append("<p id=\"review-count\">").append(cases.size()).append(onlyCase == null ? " open case(s)" : " case")
        .append(". Candidates side by side with the fields that agreed, disagreed or were missing; names and"
            + " dates are hidden unless you show them (logged).</p>");
    for (ReviewCase c : cases) {
      b.append("<div class=\"case\" id=\"case-").append(esc(c.caseId())).append("\"><h2>Case ").append(esc(c.caseId()))
          .append("</h2><p>tenant ").append(esc(c.tenant())).append(" · platform patient ").append(esc(c.platformPatientId()))
          .append(" · status ").append(esc(c.status())).append(" · reason ").append(esc(c.reason())).append(" · score ")
          .append(String.format(java.util.Locale.ROOT, "%.2f", c.score())).append("</p><p>").append(esc(c.explanation()))
          .append("</p>");
      List<ParkedEvent> parked = reviews.parked(c.tenant(), c.caseId());
      b.append("<p>").append(parked.size()).append(" parked event(s):");
      parked.forEach(e -> b.append(' ').append("<a href=\"/console/trace?id=").append(url(e.eventId())).append("\">")
          .append(esc(e.eventId())).append("</a>"));
      b.append("</p>");
      ReviewCases.Demographics d = null;
      if (demographics) {
        LOG.log(Level.INFO, "console demographics access case={0} tenant={1} caller={2}", c.caseId(), c.tenant(),
            r.caller());
        d = reviews.demographics(c.tenant(), c.caseId());
      } else {
        b.append("<p><a href=\"/console/reviews/").append(url(c.caseId())).append("?show=demographics\">show demographics</a></p>");
      }
      b.append("<div class=\"side\">");
      if (d != null && d.incoming() != null) {
        var p = d.incoming();
        b.append("<div class=\"incoming\"><h3>Incoming</h3>")
            .append(esc(p.name() == null ? "" : String.join(" ", p.name().given()) + " " + p.name().family()))
            .append("<br>born ").append(esc(p.birthDate())).append("<br>sex ").append(esc(p.sex()))
            .append("<br>postcode ").append(esc(p.address() == null ? "" : p.address().postalCode())).append("</div>");
      }
      boolean open = c.status() == ReviewCase.Status.OPEN || c.status() == ReviewCase.Status.REPLAYING;
      for (ReviewCase.Candidate k : c.candidates()) {
        b.append("<div class=\"candidate\"><h3>").append(esc(k.personId())).append("</h3>score ")
            .append(String.format(java.util.Locale.ROOT, "%.2f", k.score())).append("<br>agreed: ").append(esc(k.agreed()))
            .append("<br>disagreed: ").append(esc(k.disagreed())).append("<br>missing: ").append(esc(k.missing()))
            .append("<br>guards: ").append(esc(k.guards()));
        if (d != null) {
          for (NormalizedPerson n : d.candidates().getOrDefault(k.personId(), List.of())) {
            b.append("<hr>").append(esc(n.given())).append(' ').append(esc(n.surname())).append("<br>born ")
                .append(esc(n.dob())).append("<br>postcode ").append(esc(n.postcode()));
          }
        }
        if (open) {
          b.append(resolveForm(r, c, "link", k.personId()));
        }
        b.append("</div>");
      }
      b.append("</div>");
      if (open) {
        b.append(resolveForm(r, c, "new", null));
      } else {
        b.append("<p>resolved: ").append(esc(c.resolution())).append(" by ").append(esc(c.resolvedBy())).append("</p>");
      }
      b.append("</div>");
    }
    return r.page("reviews", onlyCase == null ? "Review queue" : "Review case", b);
  }

  private static String resolveForm(ConsoleRequest r, ReviewCase c, String action, String personId) {
    StringBuilder b = new StringBuilder("<form class=\"inline\" method=\"post\" action=\"/console/reviews/")
        .append(url(c.caseId())).append("/resolution\">").append(csrfField(r.csrf()))
        .append("<input type=\"hidden\" name=\"action\" value=\"").append(action).append("\">");
    if (personId != null) {
      b.append("<input type=\"hidden\" name=\"personId\" value=\"").append(esc(personId)).append("\">")
          .append("<button type=\"submit\" class=\"link\">Link to ").append(esc(personId)).append("</button>");
    } else {
      b.append("<button type=\"submit\" class=\"new\">New patient (none of these)</button>");
    }
    return b.append("</form>").toString();
  }

  private HttpApiResponse resolve(ConsoleRequest r, String caseId) {
    String tenant = null;
    for (String t : r.tenants()) {
      if (reviews.get(t, caseId).isPresent()) {
        tenant = t;
      }
    }
    if (tenant == null) {
      throw new Refused(404, "no review case " + caseId + " of your tenants");
    }
    String action = r.f("action");
    try {
      if ("link".equals(action)) {
        String personId = r.f("personId");
        if (personId == null || !ID.matcher(personId).matches()) {
          throw new Refused(400, "link needs one of the case's candidates");
        }
        LOG.log(Level.INFO, "console resolve case={0} tenant={1} link person={2} caller={3}", caseId, tenant, personId,
            r.caller());
        reviews.link(tenant, caseId, personId, false, r.caller());
      } else if ("new".equals(action)) {
        LOG.log(Level.INFO, "console resolve case={0} tenant={1} new caller={2}", caseId, tenant, r.caller());
        reviews.createNew(tenant, caseId, r.caller());
      } else {
        throw new Refused(400, "action must be link or new");
      }
    } catch (NoSuchElementException unknown) {
      throw new Refused(404, "no review case " + caseId);
    } catch (ReviewCases.NotLinkable | ReviewCases.Conflict refused) {
      return redirect("/console/reviews", null, "case " + caseId + ": " + refused.getMessage());
    }
    return redirect("/console/reviews", "case " + caseId + " resolved (" + action + "); its parked events were replayed",
        null);
  }
}
