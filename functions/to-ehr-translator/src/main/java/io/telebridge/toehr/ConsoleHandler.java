package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.esc;
import static io.telebridge.toehr.ConsoleRequest.TOKEN;
import static io.telebridge.toehr.ConsoleRequest.checkSameOrigin;
import static io.telebridge.toehr.ConsoleRequest.cookie;
import static io.telebridge.toehr.ConsoleRequest.form;
import static io.telebridge.toehr.ConsoleRequest.html;
import static io.telebridge.toehr.ConsoleRequest.newToken;
import static io.telebridge.toehr.ConsoleRequest.notFound;
import static io.telebridge.toehr.ConsoleRequest.query;
import static io.telebridge.toehr.ConsoleRequest.secure;
import static io.telebridge.toehr.ConsoleRequest.segments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.telebridge.aws.lambda.LambdaJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.aws.AwsClients;
import io.telebridge.aws.AwsSettings;
import io.telebridge.aws.JournalSettings;
import io.telebridge.aws.SqsQueues;
import io.telebridge.core.config.ProcessEnvironment;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.journal.JournalFigures;
import io.telebridge.core.journal.ReplayMessage;
import io.telebridge.core.journal.TraceMessage;
import io.telebridge.core.switches.ListFlowSwitches;
import io.telebridge.core.switches.SetFlowSwitch;
import io.telebridge.matching.mpi.ReviewCases;
import io.telebridge.toehr.ConsoleRequest.Refused;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ops console: server-rendered HTML pages (no script, no external resource, every value escaped) on
 * the review API's HTTP API, behind the same IAM authorizer as the review and ops APIs; the caller's
 * tenants come from its verified identity through {@link ReviewAccess} ({@code REVIEW_CALLER_TENANTS}).
 *
 * <pre>
 *   GET  /console                           overview: tenants, queues, open reviews          (here)
 *   GET  /console/queues[/{queue}]          the queues (depth, in flight, oldest queued, DLQ counts); one
 *                                           dead-letter queue's messages, redacted           ({@link ConsoleQueues})
 *   GET  /console/queues/{queue}/messages/{messageId}?show=body   one message's body (explicit, access-logged)
 *   POST /console/queues/{queue}/redrive    all, or the selected messages, back to the queue that dead-lettered them
 *   GET  /console/reviews[/{caseId}[?show=demographics]]          open review cases   ({@link ConsoleReviews})
 *   POST /console/reviews/{caseId}/resolution                     link to a candidate / new patient
 *   GET  /console/trace?id=…                the trace of one booking or message              ({@link ConsoleTrace})
 *   POST /console/replays                   re-send one archived event or HL7 message (audited)
 *   GET  /console/metrics                   the last hour's and day's figures per tenant     ({@link ConsoleMetrics})
 *   GET  /console/flows                     the per-flow switches and their last changes     ({@link ConsoleFlows})
 *   POST /console/flows/{tenant}/{flow}     mode=on|off|shadow (audited, as ./tb flows set)
 * </pre>
 *
 * It holds no logic of its own: the trace, the replay and the switches are the ops API's use cases
 * ({@link OpsApiHandler#wire}), the review the review API's ({@link ReviewCases} through the translator's
 * wiring), the queues and the redrive {@link SqsQueues} ({@code ./tb peek/redrive} use it too), the
 * figures {@link JournalFigures}.
 *
 * <p>Every POST carries a CSRF token: a random value in a {@code SameSite=Strict}, {@code HttpOnly} cookie
 * that the form repeats (double submit), and a cross-site post is refused ({@code Sec-Fetch-Site}). Every
 * request is logged with the caller and ids only; showing a body or demographics is logged as an access.
 */
public final class ConsoleHandler implements RequestStreamHandler {

  private static final System.Logger LOG = System.getLogger(ConsoleHandler.class.getName());
  static final String CSRF_COOKIE = "tb_console_csrf";

  private final ReviewAccess access;
  private final ConsoleQueues queues;
  private final ConsoleReviews reviews;
  private final ConsoleTrace trace;
  private final ConsoleMetrics metrics;
  private final ConsoleFlows flows;

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private io.telebridge.aws.Priming priming;

  /** Lambda's entry; a refused request (no IAM identity), as bytes through the stream entry, primes it: the codec, routing, refusal, the answer. */
  public ConsoleHandler() {
    this(ProcessEnvironment.forLambda());
    this.priming = io.telebridge.aws.Priming.of("console")
        .step("refused request", () -> LambdaJson.invoke(this, TranslatorWiring.primingRequest("GET", "/console/queues"), null))
        .register();
  }

  /** The local stack's entry: the function's environment as template.yaml resolves it. */
  public ConsoleHandler(Map<String, String> env) {
    this(env, AwsClients.shared(AwsSettings.fromEnvironment(env)));
  }

  private ConsoleHandler(Map<String, String> env, AwsClients clients) {
    this(OpsApiHandler.wire(env, clients), TranslatorWiring.of(TranslatorConfig.fromEnvironment(env),
        JournalSettings.fromEnvironment(env)).reviews(), new SqsQueues(clients.sqs()),
        ConsoleQueues.parseQueues(env.get("CONSOLE_QUEUES")), env.getOrDefault("CONSOLE_DASHBOARD_URL", ""),
        new JournalFigures(JournalSettings.fromEnvironment(env).reader(clients.dynamoDb()),
            java.time.Clock.systemUTC()));
  }

  private ConsoleHandler(OpsApiHandler.Wiring ops, ReviewCases reviews, SqsQueues queues,
      List<ConsoleQueues.QueuePair> pairs, String dashboardUrl, JournalFigures figures) {
    this(ops.trace(), ops.replay(), reviews, ops.access(), queues, pairs, dashboardUrl,
        ops.switchboard() == null ? null : ops.switchboard().list(),
        ops.switchboard() == null ? null : ops.switchboard().set(), figures);
  }

  /**
   * @param flows null: no switch table (every flow on)
   * @param figures null: no journal to count from (the figures show as unknown)
   */
  ConsoleHandler(TraceMessage trace, ReplayMessage replay, ReviewCases reviews, ReviewAccess access, SqsQueues queues,
      List<ConsoleQueues.QueuePair> pairs, String dashboardUrl, ListFlowSwitches flows, SetFlowSwitch setFlow,
      JournalFigures figures) {
    this.access = access;
    this.queues = new ConsoleQueues(queues, pairs, figures);
    this.reviews = new ConsoleReviews(reviews);
    this.trace = new ConsoleTrace(trace, replay);
    this.metrics = new ConsoleMetrics(this.queues, this.reviews, figures, dashboardUrl == null ? "" : dashboardUrl);
    this.flows = new ConsoleFlows(flows, setFlow);
  }

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and the answer's bytes back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.http(input, output, context, this::handle);
  }

  public HttpApiResponse handle(HttpApiRequest event, Context context) {
    String requestId = event == null ? null : event.requestId();
    String caller = ReviewApiRequest.caller(event);
    String method = event != null && event.method() != null
        ? event.method().toUpperCase(java.util.Locale.ROOT) : "GET";
    String rawPath = event == null || event.rawPath() == null ? "/console/" : event.rawPath();
    String cookie = cookie(event, CSRF_COOKIE);
    boolean newCsrf = cookie == null || !TOKEN.matcher(cookie).matches();
    String csrf = newCsrf ? newToken() : cookie;
    HttpApiResponse response;
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
      ConsoleRequest r = new ConsoleRequest(method, path.subList(1, path.size()), query(event), form, caller, tenants, csrf, newCsrf,
          requestId);
      response = route(r);
      LOG.log(Level.INFO, "console {0} {1} status={2} caller={3}", method, rawPath, response.statusCode(), caller);
    } catch (Refused refused) {
      LOG.log(Level.INFO, "console {0} {1} refused status={2} caller={3}", method, rawPath, refused.status(), caller);
      response = html(refused.status(), ConsoleHtml.page("", "Refused", caller, null, refused.getMessage(), ""));
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
      response = response.withCookies(List.of(CSRF_COOKIE + "=" + csrf + "; Path=/console; HttpOnly; SameSite=Strict"
          + (secure(event) ? "; Secure" : "")));
    }
    return response;
  }

  private HttpApiResponse route(ConsoleRequest r) {
    List<String> p = r.path();
    String first = p.isEmpty() ? "" : p.get(0);
    boolean get = !r.method().equals("POST");
    return switch (first) {
      case "" -> get && p.size() <= 1 ? overview(r) : notFound();
      case "queues" -> queues.route(r, p, get);
      case "reviews" -> reviews.route(r, p, get);
      case "trace" -> get && p.size() == 1 ? trace.tracePage(r) : notFound();
      case "replays" -> !get && p.size() == 1 ? trace.replayOne(r) : notFound();
      case "metrics" -> get && p.size() == 1 ? metrics.metricsPage(r) : notFound();
      case "flows" -> flows.route(r, p, get);
      default -> notFound();
    };
  }

  private HttpApiResponse overview(ConsoleRequest r) {
    StringBuilder b = new StringBuilder();
    b.append("<h2>Tenants</h2><ul id=\"tenants\">");
    for (String t : r.tenants()) {
      b.append("<li>").append(esc(t)).append(" — ").append(reviews.open(t)).append(" open review case(s)</li>");
    }
    b.append("</ul><h2>Queues</h2>").append(queues.queueTable(r));
    b.append("<h2>Where is this booking?</h2>").append(ConsoleTrace.traceForm(""));
    return r.page("overview", "Overview", b);
  }
}
