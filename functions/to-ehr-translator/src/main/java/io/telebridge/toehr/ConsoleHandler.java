package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.csrfField;
import static io.telebridge.toehr.ConsoleHtml.esc;
import static io.telebridge.toehr.ConsoleHtml.url;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.telebridge.aws.AwsClients;
import io.telebridge.aws.AwsSettings;
import io.telebridge.aws.SqsQueues;
import io.telebridge.core.config.ProcessEnvironment;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.ReplayMessage;
import io.telebridge.core.journal.Trace;
import io.telebridge.core.journal.TraceMessage;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.ReviewCase;
import io.telebridge.matching.mpi.ReviewCases;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The ops console: server-rendered HTML pages (no script, no external resource, every value escaped) on
 * the review API's HTTP API, behind the same IAM authorizer as the review and ops APIs; the caller's
 * tenants come from its verified identity through {@link ReviewAccess} ({@code REVIEW_CALLER_TENANTS}).
 *
 * <pre>
 *   GET  /console                           overview: tenants, queues (depth, in flight, DLQ counts, oldest DLQ age), open reviews
 *   GET  /console/queues[/{queue}]          the queues; one dead-letter queue's messages, redacted (ids and attributes only)
 *   GET  /console/queues/{queue}/messages/{messageId}?show=body   one message's body (explicit, access-logged)
 *   POST /console/queues/{queue}/redrive    all, or the selected messages, back to the queue that dead-lettered them
 *                                           (never one before an earlier message of its patient's group)
 *   GET  /console/reviews[/{caseId}[?show=demographics]]          open review cases, candidates side by side (PHI on request)
 *   POST /console/reviews/{caseId}/resolution                     link to a candidate / new patient
 *   GET  /console/trace?id=…                the trace of one booking or message (the journal)
 *   POST /console/replays                   re-send one archived event or HL7 message (audited)
 *   GET  /console/metrics, /console/flows   the figures at a glance; the place of the per-flow switches
 * </pre>
 *
 * It holds no logic of its own: the trace and the replay are the ops API's use cases
 * ({@link OpsApiHandler#wire}), the review the review API's ({@link ReviewCases} through the translator's
 * wiring), the queues and the redrive {@link SqsQueues} ({@code ./tb peek/redrive} use it too).
 *
 * <p>Every POST carries a CSRF token: a random value in a {@code SameSite=Strict}, {@code HttpOnly} cookie
 * that the form repeats (double submit), and a cross-site post is
 * refused ({@code Sec-Fetch-Site}). Every request is logged with the caller and ids only; showing a body or demographics is
 * logged as an access.
 */
public final class ConsoleHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final System.Logger LOG = System.getLogger(ConsoleHandler.class.getName());
  static final String CSRF_COOKIE = "tb_console_csrf";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:|#^-]{0,255}");
  private static final Pattern SQS_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{20,100}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int PEEK = 50;

  /** A queue and its dead-letter queue as the console lists them ({@code CONSOLE_QUEUES}). */
  record QueuePair(String label, String queueUrl, String deadLetterUrl) {}

  private final TraceMessage trace;
  private final ReplayMessage replay;
  private final ReviewCases reviews;
  private final ReviewAccess access;
  private final SqsQueues queues;
  private final List<QueuePair> pairs;
  private final String dashboardUrl;
  private final io.telebridge.core.switches.ListFlowSwitches flows; // null: no switch table configured

  public ConsoleHandler() {
    this(ProcessEnvironment.forLambda());
  }

  /** The local stack's entry: the function's environment as template.yaml resolves it. */
  public ConsoleHandler(Map<String, String> env) {
    this(env, AwsClients.shared(AwsSettings.fromEnvironment(env)));
  }

  private ConsoleHandler(Map<String, String> env, AwsClients clients) {
    this(OpsApiHandler.wire(env, clients), TranslatorWiring.of(TranslatorConfig.fromEnvironment(env),
        io.telebridge.aws.JournalSettings.fromEnvironment(env)).reviews(), new SqsQueues(clients.sqs()),
        parseQueues(env.get("CONSOLE_QUEUES")), env.getOrDefault("CONSOLE_DASHBOARD_URL", ""));
  }

  private ConsoleHandler(OpsApiHandler.Wiring ops, ReviewCases reviews, SqsQueues queues, List<QueuePair> pairs,
      String dashboardUrl) {
    this(ops.trace(), ops.replay(), reviews, ops.access(), queues, pairs, dashboardUrl,
        ops.switchboard() == null ? null : ops.switchboard().list());
  }

  ConsoleHandler(TraceMessage trace, ReplayMessage replay, ReviewCases reviews, ReviewAccess access, SqsQueues queues,
      List<QueuePair> pairs, String dashboardUrl) {
    this(trace, replay, reviews, access, queues, pairs, dashboardUrl, null);
  }

  ConsoleHandler(TraceMessage trace, ReplayMessage replay, ReviewCases reviews, ReviewAccess access, SqsQueues queues,
      List<QueuePair> pairs, String dashboardUrl, io.telebridge.core.switches.ListFlowSwitches flows) {
    this.trace = trace;
    this.replay = replay;
    this.reviews = reviews;
    this.access = access;
    this.queues = queues;
    this.pairs = List.copyOf(pairs);
    this.dashboardUrl = dashboardUrl == null ? "" : dashboardUrl;
    this.flows = flows;
  }

  /** {@code label=queueUrl|deadLetterUrl;…}; either URL may be empty (a holding queue such as the quarantine). */
  static List<QueuePair> parseQueues(String spec) {
    List<QueuePair> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      int bar = entry.indexOf('|');
      if (eq <= 0 || bar < eq) {
        throw new IllegalStateException("CONSOLE_QUEUES: '" + entry + "' is not label=queueUrl|deadLetterUrl");
      }
      String queue = entry.substring(eq + 1, bar).strip();
      String dlq = entry.substring(bar + 1).strip();
      out.add(new QueuePair(entry.substring(0, eq).strip(), queue.isEmpty() ? null : queue, dlq.isEmpty() ? null : dlq));
    }
    return out;
  }

  // ------------------------------------------------------------------ request

  /** What one request brought: who, where, its form and its CSRF cookie. */
  private record Request(String method, List<String> path, Map<String, String> query, Map<String, List<String>> form,
      String caller, Set<String> tenants, String csrf, boolean newCsrf, String requestId) {
    String q(String name) {
      String v = query.get(name);
      return v == null || v.isEmpty() ? null : v;
    }

    String f(String name) {
      List<String> v = form.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  /** A request refused with a status and a plain message (no PHI). */
  private static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String requestId = event == null || event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
    String caller = ReviewApiHandler.caller(event);
    String method = event != null && event.getRequestContext() != null && event.getRequestContext().getHttp() != null
        && event.getRequestContext().getHttp().getMethod() != null
        ? event.getRequestContext().getHttp().getMethod().toUpperCase(java.util.Locale.ROOT) : "GET";
    String rawPath = event == null || event.getRawPath() == null ? "/console/" : event.getRawPath();
    String cookie = cookie(event, CSRF_COOKIE);
    boolean newCsrf = cookie == null || !TOKEN.matcher(cookie).matches();
    String csrf = newCsrf ? newToken() : cookie;
    APIGatewayV2HTTPResponse response;
    try {
      if (caller == null) {
        throw new Refused(403, "the request carries no verified IAM identity");
      }
      Set<String> tenants = access.tenantsOf(caller);
      if (tenants.isEmpty()) {
        throw new Refused(403, "the caller is mapped to no tenant (REVIEW_CALLER_TENANTS)");
      }
      List<String> path = segments(rawPath);
      if (path.isEmpty() || !path.get(0).equals("console")) {
        throw new Refused(404, "no such page");
      }
      Map<String, List<String>> form = Map.of();
      if (method.equals("POST")) {
        checkSameOrigin(event);
        form = form(event);
        String sent = form.getOrDefault("csrf", List.of()).stream().findFirst().orElse(null);
        if (newCsrf || sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
            cookie.getBytes(StandardCharsets.UTF_8))) {
          throw new Refused(403, "the form's CSRF token does not match this browser's; reload the page and try again");
        }
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        throw new Refused(405, "method " + method + " is not served");
      }
      Request r = new Request(method, path.subList(1, path.size()), query(event), form, caller, tenants, csrf, newCsrf,
          requestId);
      response = route(r);
      LOG.log(Level.INFO, "console {0} {1} status={2} caller={3}", method, rawPath, response.getStatusCode(), caller);
    } catch (Refused refused) {
      LOG.log(Level.INFO, "console {0} {1} refused status={2} caller={3}", method, rawPath, refused.status, caller);
      response = html(refused.status, ConsoleHtml.page("", "Refused", caller, null, refused.getMessage(), ""));
    } catch (TransientException e) {
      LOG.log(Level.WARNING, "console {0} {1} unavailable requestId={2}: {3}", method, rawPath, requestId,
          e.getClass().getSimpleName());
      response = html(503, ConsoleHtml.page("", "Unavailable", caller, null,
          "a dependency is unavailable; nothing more was changed, retry later", ""));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "console failed unexpectedly requestId={0}: {1}", requestId, e.getClass().getName());
      response = html(500, ConsoleHtml.page("", "Error", caller, null, "unexpected error; retry later", ""));
    }
    if (newCsrf) {
      response.setCookies(List.of(CSRF_COOKIE + "=" + csrf + "; Path=/console; HttpOnly; SameSite=Strict"
          + (secure(event) ? "; Secure" : "")));
    }
    return response;
  }

  private APIGatewayV2HTTPResponse route(Request r) {
    List<String> p = r.path();
    String first = p.isEmpty() ? "" : p.get(0);
    boolean get = !r.method().equals("POST");
    switch (first) {
      case "" -> {
        return get && p.size() <= 1 ? overview(r) : notFound();
      }
      case "queues" -> {
        if (p.size() == 1 && get) {
          return queuesPage(r);
        }
        QueuePair pair = p.size() >= 2 ? pair(p.get(1)) : null;
        if (p.size() == 2 && get) {
          return deadLetterPage(r, pair);
        }
        if (p.size() == 4 && get && p.get(2).equals("messages")) {
          return messagePage(r, pair, p.get(3));
        }
        if (p.size() == 3 && !get && p.get(2).equals("redrive")) {
          return redrive(r, pair);
        }
        return notFound();
      }
      case "reviews" -> {
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
      case "trace" -> {
        return get && p.size() == 1 ? tracePage(r) : notFound();
      }
      case "replays" -> {
        return !get && p.size() == 1 ? replayOne(r) : notFound();
      }
      case "metrics" -> {
        return get && p.size() == 1 ? metricsPage(r) : notFound();
      }
      case "flows" -> {
        return get && p.size() == 1 ? flowsPage(r) : notFound();
      }
      default -> {
        return notFound();
      }
    }
  }

  // ------------------------------------------------------------------ pages

  private APIGatewayV2HTTPResponse overview(Request r) {
    StringBuilder b = new StringBuilder();
    b.append("<h2>Tenants</h2><ul id=\"tenants\">");
    for (String t : r.tenants()) {
      b.append("<li>").append(esc(t)).append(" — ").append(reviews.open(t).size())
          .append(" open review case(s)</li>");
    }
    b.append("</ul><h2>Queues</h2>").append(queueTable(r));
    b.append("<h2>Where is this booking?</h2>").append(traceForm(""));
    return page(r, "overview", "Overview", b);
  }

  private APIGatewayV2HTTPResponse queuesPage(Request r) {
    return page(r, "queues", "Queues", new StringBuilder(queueTable(r)).append(
        "<p>Depths are SQS's approximate figures. The oldest age of a live queue is on the dashboard"
        + " (ApproximateAgeOfOldestMessage); a dead-letter queue's is that of its oldest message seen here.</p>"));
  }

  private String queueTable(Request r) {
    StringBuilder b = new StringBuilder("<table id=\"queues\"><tr><th>Queue</th><th>Visible</th><th>In flight</th>"
        + "<th>Dead-letter queue</th><th>DLQ messages</th><th>Oldest in DLQ</th></tr>");
    Instant now = Instant.now();
    for (QueuePair q : pairs) {
      b.append("<tr id=\"queue-").append(esc(q.label())).append("\"><td>").append(esc(q.label())).append("</td>");
      if (q.queueUrl() != null) {
        SqsQueues.Figures f = queues.figures(q.queueUrl());
        b.append("<td class=\"num\">").append(f.visible()).append("</td><td class=\"num\">").append(f.inFlight())
            .append("</td>");
      } else {
        b.append("<td>—</td><td>—</td>");
      }
      if (q.deadLetterUrl() != null) {
        SqsQueues.Figures f = queues.figures(q.deadLetterUrl());
        long count = f.visible() + f.inFlight();
        String oldest = "—";
        if (f.visible() > 0) {
          Instant first = null;
          for (Message m : queues.peek(q.deadLetterUrl(), 10)) {
            Instant sent = SqsQueues.sentAt(m);
            first = first == null || sent != null && sent.isBefore(first) ? sent : first;
          }
          oldest = first == null ? "—" : age(Duration.between(first, now));
        }
        b.append("<td><a href=\"/console/queues/").append(url(q.label())).append("\">").append(esc(f.name()))
            .append("</a></td><td class=\"num dlq-count\">").append(count).append("</td><td>").append(esc(oldest))
            .append("</td>");
      } else {
        b.append("<td>—</td><td>—</td><td>—</td>");
      }
      b.append("</tr>");
    }
    return b.append("</table>").toString();
  }

  private APIGatewayV2HTTPResponse deadLetterPage(Request r, QueuePair q) {
    List<Message> seen = mine(r, queues.peek(q.deadLetterUrl(), PEEK));
    StringBuilder b = new StringBuilder();
    b.append("<p>").append(esc(SqsQueues.nameOf(q.deadLetterUrl()))).append(": ").append(seen.size())
        .append(" message(s) of your tenants (first ").append(PEEK).append(" looked at). Bodies are hidden;")
        .append(" <em>show</em> opens one and is logged.</p>");
    b.append("<form method=\"post\" action=\"/console/queues/").append(url(q.label())).append("/redrive\" id=\"redrive-form\">")
        .append(csrfField(r.csrf()));
    b.append("<table id=\"messages\"><tr><th></th><th>Message</th><th>Tenant</th><th>Group</th><th>First sent</th>"
        + "<th>Receives</th><th>Attributes</th><th>Body</th><th>Replay</th></tr>");
    for (Message m : seen) {
      Map<String, String> a = m.attributesAsStrings();
      Instant sent = SqsQueues.sentAt(m);
      b.append("<tr class=\"dlq-message\"><td><input type=\"checkbox\" name=\"message\" value=\"").append(esc(m.messageId()))
          .append("\"></td><td>").append(esc(m.messageId())).append("</td><td>").append(esc(SqsQueues.tenantOf(m)))
          .append("</td><td>").append(esc(a.get("MessageGroupId"))).append("</td><td>").append(esc(sent))
          .append("</td><td class=\"num\">").append(esc(a.get("ApproximateReceiveCount"))).append("</td><td>");
      for (Map.Entry<String, MessageAttributeValue> e : new java.util.TreeMap<>(m.messageAttributes()).entrySet()) {
        b.append(esc(e.getKey())).append('=').append(esc(e.getValue().stringValue())).append("<br>");
      }
      b.append("</td><td><span class=\"redacted\">").append(m.body().length()).append(" chars, redacted</span> <a href=\"/console/queues/")
          .append(url(q.label())).append("/messages/").append(url(m.messageId())).append("?show=body\">show</a></td><td>");
      String id = replayId(m);
      if (id != null) {
        b.append("<button type=\"submit\" formaction=\"/console/replays\" name=\"id\" value=\"").append(esc(id))
            .append("\">replay ").append(esc(id)).append("</button>");
      }
      b.append("</td></tr>");
    }
    b.append("</table>");
    if (q.queueUrl() != null) {
      b.append("<button type=\"submit\" name=\"scope\" value=\"selected\" id=\"redrive-selected\">Redrive selected</button> ")
          .append("<button type=\"submit\" name=\"scope\" value=\"all\" id=\"redrive-all\">Redrive all of my tenants'</button>")
          .append(" to ").append(esc(SqsQueues.nameOf(q.queueUrl())));
    } else {
      b.append("<p>This queue holds messages for a person to look at; it has no queue to redrive to.</p>");
    }
    b.append("</form>");
    return page(r, "queues", "Dead letters: " + q.label(), b);
  }

  private APIGatewayV2HTTPResponse messagePage(Request r, QueuePair q, String messageId) {
    if (!SQS_ID.matcher(messageId).matches() || !"body".equals(r.q("show"))) {
      return notFound();
    }
    Message found = null;
    for (Message m : mine(r, queues.peek(q.deadLetterUrl(), PEEK))) {
      if (m.messageId().equals(messageId)) {
        found = m;
      }
    }
    if (found == null) {
      throw new Refused(404, "no such message of your tenants in the first " + PEEK + " of this queue");
    }
    // PHI, on explicit request only: the access is logged with who and which message, nothing else
    LOG.log(Level.INFO, "console body access queue={0} message={1} tenant={2} caller={3}", q.label(), messageId,
        SqsQueues.tenantOf(found), r.caller());
    String body = found.body().replace("\r\n", "\n").replace('\r', '\n');
    return page(r, "queues", "Message " + messageId, new StringBuilder("<p>Shown on request; this access is logged.</p><pre id=\"body\">")
        .append(esc(body)).append("</pre><p><a href=\"/console/queues/").append(url(q.label())).append("\">back</a></p>"));
  }

  private APIGatewayV2HTTPResponse redrive(Request r, QueuePair q) {
    if (q.queueUrl() == null) {
      throw new Refused(400, "this queue has no queue to redrive to");
    }
    String scope = r.f("scope");
    Set<String> chosen = new HashSet<>(r.form().getOrDefault("message", List.of()));
    if (!"all".equals(scope) && chosen.isEmpty()) {
      return redirect("/console/queues/" + url(q.label()), null, "select at least one message, or redrive all");
    }
    Set<String> tenants = r.tenants();
    boolean all = "all".equals(scope);
    // per-patient order: a message stays when an earlier one of its group stays (FIFO receives in group order)
    Set<String> held = new HashSet<>();
    int[] heldBack = {0};
    List<SqsQueues.Moved> moved = queues.redrive(q.deadLetterUrl(), q.queueUrl(), m -> {
      String group = m.attributesAsStrings().getOrDefault("MessageGroupId", "");
      boolean wanted = mayAct(tenants, m) && (all || chosen.contains(m.messageId()));
      if (!group.isEmpty() && held.contains(group)) {
        heldBack[0] += wanted ? 1 : 0;
        return false;
      }
      if (!wanted && !group.isEmpty()) {
        held.add(group);
      }
      return wanted;
    }, Integer.MAX_VALUE);
    for (SqsQueues.Moved m : moved) {
      LOG.log(Level.INFO, "console redrive queue={0} message={1} new={2} caller={3}", q.label(),
          m.deadLetterMessageId(), m.newMessageId(), r.caller());
    }
    return redirect("/console/queues/" + url(q.label()), moved.size() + " message(s) redriven to "
        + SqsQueues.nameOf(q.queueUrl()), heldBack[0] == 0 ? null : heldBack[0] + " selected message(s) kept: an earlier"
        + " message of the same patient stays in the DLQ (select it too, to keep the patient's order)");
  }

  private APIGatewayV2HTTPResponse reviewsPage(Request r, String onlyCase) {
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
    return page(r, "reviews", onlyCase == null ? "Review queue" : "Review case", b);
  }

  private static String resolveForm(Request r, ReviewCase c, String action, String personId) {
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

  private APIGatewayV2HTTPResponse resolve(Request r, String caseId) {
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

  private APIGatewayV2HTTPResponse tracePage(Request r) {
    String id = r.q("id");
    StringBuilder b = new StringBuilder(traceForm(id == null ? "" : id));
    if (id != null) {
      if (!ID.matcher(id).matches()) {
        throw new Refused(400, "the id must be an event id, MSH-10, appointment id or platform patient id");
      }
      Trace found = null;
      for (String t : r.tenants()) {
        Trace candidate = trace.trace(t, id);
        if (candidate.found()) {
          found = candidate;
          break;
        }
      }
      LOG.log(Level.INFO, "console trace id={0} found={1} caller={2}", id, found != null, r.caller());
      if (found == null) {
        b.append("<p id=\"trace-empty\">The journal has nothing for ").append(esc(id))
            .append(" in your tenants (unknown, another tenant's, or older than the journal's retention).</p>");
      } else {
        b.append("<p>tenant ").append(esc(found.tenant())).append("</p><table id=\"trace\"><tr><th>At</th><th>Stage</th>"
            + "<th>Subject</th><th>Type</th><th>Outcome</th><th>Attempt</th><th>Error</th><th>Waits at</th><th>Links</th>"
            + "<th>By</th><th></th></tr>");
        Set<String> offered = new HashSet<>();
        for (JournalEntry e : found.steps()) {
          b.append("<tr class=\"step\" data-stage=\"").append(esc(e.stage())).append("\"><td>").append(esc(e.at()))
              .append("</td><td class=\"stage\">").append(esc(e.stage())).append("</td><td>").append(esc(e.subject()))
              .append("</td><td>").append(esc(e.type())).append("</td><td class=\"outcome\">").append(esc(e.outcome()))
              .append("</td><td>").append(e.attempt() > 0 ? e.attempt() : "").append("</td><td>")
              .append(esc(join(e.errorClass(), e.errorCode()))).append("</td><td>").append(esc(e.waitsAt()))
              .append("</td><td>").append(esc(String.join(", ", e.links()))).append("</td><td>").append(esc(e.by()))
              .append("</td><td>");
          String subject = e.subject();
          String replayable = subject == null ? null : subject.startsWith(JournalEntry.HL7)
              ? subject.substring(JournalEntry.HL7.length())
              : subject.startsWith(JournalEntry.EVENT) ? subject.substring(JournalEntry.EVENT.length()) : null;
          if (replayable != null && !"replay".equals(e.stage()) && offered.add(subject)) {
            b.append("<form class=\"inline\" method=\"post\" action=\"/console/replays\">").append(csrfField(r.csrf()))
                .append("<input type=\"hidden\" name=\"id\" value=\"").append(esc(replayable))
                .append("\"><button type=\"submit\">replay</button></form>");
          }
          b.append("</td></tr>");
        }
        b.append("</table><h2>Where it waits now</h2><ul id=\"waiting\">");
        if (found.waiting().isEmpty()) {
          b.append("<li>nowhere: every branch has finished</li>");
        }
        found.waiting().forEach(w -> b.append("<li>").append(esc(w.subject())).append(": ").append(esc(w.where()))
            .append("</li>"));
        b.append("</ul>");
      }
    }
    return page(r, "trace", "Trace", b);
  }

  private static String traceForm(String id) {
    return "<form method=\"get\" action=\"/console/trace\" id=\"trace-form\"><label>event id, MSH-10, appointment id or"
        + " platform patient id <input name=\"id\" size=\"40\" value=\"" + esc(id) + "\"></label> <button type=\"submit\">"
        + "Trace</button></form>";
  }

  private APIGatewayV2HTTPResponse replayOne(Request r) {
    String id = r.f("id");
    if (id == null || !ID.matcher(id).matches()) {
      throw new Refused(400, "replay needs an event id or MSH-10");
    }
    for (String t : r.tenants()) {
      ReplayMessage.Replayed done = replay.replay(t, id, r.caller());
      if (done.sent()) {
        LOG.log(Level.INFO, "console replay subject={0} tenant={1} to={2} caller={3}", done.subject(), t, done.queue(),
            r.caller());
        return redirect("/console/trace?id=" + url(id), done.subject() + " replayed to the " + done.queue() + " queue",
            null);
      }
    }
    return redirect("/console/trace?id=" + url(id), null, "nothing archived for " + id + " in your tenants");
  }

  private APIGatewayV2HTTPResponse metricsPage(Request r) {
    StringBuilder b = new StringBuilder();
    long dead = 0;
    long waiting = 0;
    for (QueuePair q : pairs) {
      if (q.queueUrl() != null) {
        SqsQueues.Figures f = queues.figures(q.queueUrl());
        waiting += f.visible() + f.inFlight();
      }
      if (q.deadLetterUrl() != null) {
        SqsQueues.Figures f = queues.figures(q.deadLetterUrl());
        dead += f.visible() + f.inFlight();
      }
    }
    long open = 0;
    for (String t : r.tenants()) {
      open += reviews.open(t).size();
    }
    b.append("<table id=\"glance\"><tr><th>Messages on the live queues</th><td class=\"num\">").append(waiting)
        .append("</td></tr><tr><th>Messages dead-lettered or quarantined</th><td class=\"num\">").append(dead)
        .append("</td></tr><tr><th>Open review cases (your tenants)</th><td class=\"num\">").append(open)
        .append("</td></tr></table>");
    if (!dashboardUrl.isEmpty()) {
      b.append("<p>The counts over time (namespace <code>telebridge</code>: BookingsPosted, Registrations, Hl7Sent,"
          + " Hl7Acked, Hl7Nacked, Delivered, DeadLettered, Failures, Replays, EndToEndLatency per tenant…) are on the"
          + " <a href=\"").append(esc(dashboardUrl)).append("\">CloudWatch dashboard</a>.</p>");
    } else {
      b.append("<p>The counts over time (namespace <code>telebridge</code>) are CloudWatch EMF lines in each function's"
          + " log; locally they are in the stack's console output, in AWS on the stack's dashboard.</p>");
    }
    return page(r, "metrics", "Metrics at a glance", b);
  }

  /** The per-flow switches of the caller's tenants (read-only here: {@code ./tb flows set} changes them, audited). */
  private APIGatewayV2HTTPResponse flowsPage(Request r) {
    StringBuilder b = new StringBuilder();
    if (flows == null) {
      b.append("<p id=\"flows\">No flow switch table is configured (FLOW_SWITCHES_TABLE): every flow is on.</p>");
      return page(r, "flows", "Flows", b);
    }
    b.append("<p>Each flow is <b>on</b>, <b>off</b> (journaled and acknowledged, nothing sent) or <b>shadow</b>"
        + " (everything runs, what would be sent is kept for <code>./tb shadow-report</code>). Change one with"
        + " <code>./tb flows set &lt;tenant&gt; &lt;flow&gt; on|off|shadow</code> (docs/runbook.md, \"Switching a flow on"
        + " after a shadow period\").</p>");
    b.append("<table id=\"flows\"><tr><th>Tenant</th><th>Flow</th><th>Mode</th><th>Since</th><th>By</th></tr>");
    for (String t : new java.util.TreeSet<>(r.tenants())) {
      for (io.telebridge.core.switches.FlowSwitch f : flows.list(t)) {
        b.append("<tr><td>").append(esc(t)).append("</td><td>").append(esc(f.flow().wire()))
            .append("</td><td class=\"mode-").append(esc(f.mode().name().toLowerCase(java.util.Locale.ROOT))).append("\">")
            .append(esc(f.mode().name().toLowerCase(java.util.Locale.ROOT))).append("</td><td>")
            .append(f.updatedAt() == null ? "(default)" : esc(f.updatedAt())).append("</td><td>")
            .append(f.updatedBy() == null ? "" : esc(f.updatedBy())).append("</td></tr>");
      }
    }
    b.append("</table>");
    return page(r, "flows", "Flows", b);
  }

  // ------------------------------------------------------------------ helpers

  private QueuePair pair(String label) {
    for (QueuePair q : pairs) {
      if (q.label().equals(label) && q.deadLetterUrl() != null) {
        return q;
      }
    }
    throw new Refused(404, "no dead-letter queue named " + label);
  }

  /** The messages of the caller's tenants, and those that name no tenant (the stack's own, e.g. from the EHR). */
  private static List<Message> mine(Request r, List<Message> messages) {
    List<Message> out = new ArrayList<>();
    for (Message m : messages) {
      if (mayAct(r.tenants(), m)) {
        out.add(m);
      }
    }
    return out;
  }

  private static boolean mayAct(Set<String> tenants, Message m) {
    String tenant = SqsQueues.tenantOf(m);
    return tenant == null || tenants.contains(tenant);
  }

  /** The id {@link ReplayMessage} knows a dead-lettered message by: its MSH-10, else its event id. */
  private static String replayId(Message m) {
    for (String name : List.of("controlId", "eventId")) {
      MessageAttributeValue v = m.messageAttributes().get(name);
      if (v != null && v.stringValue() != null && ID.matcher(v.stringValue()).matches()) {
        return v.stringValue();
      }
    }
    return null;
  }

  private static String checked(String id) {
    if (!ID.matcher(id).matches()) {
      throw new Refused(404, "no such case");
    }
    return id;
  }

  private static String join(String a, String b) {
    return a == null ? b == null ? "" : b : b == null ? a : a + " " + b;
  }

  private static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172800 ? s / 3600 + " h" : s / 86400 + " d";
  }

  private APIGatewayV2HTTPResponse page(Request r, String active, String title, StringBuilder body) {
    return html(200, ConsoleHtml.page(active, title, r.caller(), r.q("done"), r.q("error"), body.toString()));
  }

  private static APIGatewayV2HTTPResponse notFound() {
    throw new Refused(404, "no such page");
  }

  /** 303 to a console page with a one-line message (post/redirect/get). */
  private static APIGatewayV2HTTPResponse redirect(String to, String done, String error) {
    StringBuilder location = new StringBuilder(to);
    if (done != null) {
      location.append(to.contains("?") ? '&' : '?').append("done=").append(url(done));
    }
    if (error != null) {
      location.append(location.indexOf("?") >= 0 ? '&' : '?').append("error=").append(url(error));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", location.toString());
    headers.put("Cache-Control", "no-store");
    return APIGatewayV2HTTPResponse.builder().withStatusCode(303).withHeaders(headers).withBody("").build();
  }

  static APIGatewayV2HTTPResponse html(int status, String html) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/html; charset=utf-8");
    headers.put("Cache-Control", "no-store");
    headers.put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
        + " frame-ancestors 'none'; base-uri 'none'");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("X-Frame-Options", "DENY");
    return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(html).build();
  }

  private static String newToken() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String cookie(APIGatewayV2HTTPEvent event, String name) {
    List<String> cookies = new ArrayList<>();
    if (event != null && event.getCookies() != null) {
      cookies.addAll(event.getCookies());
    }
    String header = event == null ? null : header(event, "cookie");
    if (header != null) {
      cookies.addAll(List.of(header.split(";")));
    }
    for (String c : cookies) {
      for (String part : c.split(";")) {
        String s = part.strip();
        if (s.startsWith(name + "=")) {
          return s.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static String header(APIGatewayV2HTTPEvent event, String name) {
    if (event.getHeaders() == null) {
      return null;
    }
    for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  /**
   * A POST another site made the browser send is refused: the browser says so in {@code Sec-Fetch-Site},
   * which no page can set. (Origin is not compared with Host: behind a signing proxy they differ.)
   */
  private static void checkSameOrigin(APIGatewayV2HTTPEvent event) {
    String site = header(event, "sec-fetch-site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new Refused(403, "a cross-site form post is refused");
    }
  }

  private static boolean secure(APIGatewayV2HTTPEvent event) {
    String proto = event == null ? null : header(event, "x-forwarded-proto");
    if (proto != null) {
      return proto.equalsIgnoreCase("https");
    }
    String host = event == null ? null : header(event, "host");
    return host == null || !(host.startsWith("127.") || host.startsWith("localhost") || host.startsWith("[::1]"));
  }

  private static Map<String, String> query(APIGatewayV2HTTPEvent event) {
    return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
  }

  /** An {@code application/x-www-form-urlencoded} body (text or base64), every value kept. */
  private static Map<String, List<String>> form(APIGatewayV2HTTPEvent event) {
    String raw = event.getBody();
    if (raw == null) {
      return Map.of();
    }
    if (raw.length() > 64 * 1024) {
      throw new Refused(413, "the form is too large");
    }
    String text = event.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8) : raw;
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
