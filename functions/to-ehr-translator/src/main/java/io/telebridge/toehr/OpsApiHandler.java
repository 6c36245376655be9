package io.telebridge.toehr;

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
import io.telebridge.aws.FlowSwitchSettings;
import io.telebridge.aws.JournalSettings;
import io.telebridge.aws.ProblemJson;
import io.telebridge.aws.SqsReplayTarget;
import io.telebridge.core.config.EnvironmentReader;
import io.telebridge.core.config.ProcessEnvironment;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.intake.Problem;
import io.telebridge.core.journal.GuardedJournal;
import io.telebridge.core.journal.ReplayMessage;
import io.telebridge.core.journal.Trace;
import io.telebridge.core.journal.TraceMessage;
import io.telebridge.core.log.EmfMetrics;
import io.telebridge.core.switches.CachedFlowSwitches;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.FlowMode;
import io.telebridge.core.switches.ListFlowSwitches;
import io.telebridge.core.switches.ReportShadow;
import io.telebridge.core.switches.SetFlowSwitch;
import io.telebridge.core.switches.ShadowReport;
import io.telebridge.hl7v2.Hl7ShadowFields;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import io.telebridge.aws.dynamodb.DynamoDb;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ops API on the review API's HTTP API (AWS_IAM: callers sign with SigV4):
 *
 * <pre>
 *   GET  /v1/traces/{id}[?tenant=T]   "where is this booking?": the journal's steps for an event id, an MSH-10, an
 *                                     appointment id or a platform patient id, and where each branch waits now
 *   POST /v1/replays  {"id": "...", "tenant": "T"}   re-send one archived HL7 message (by MSH-10) to the to-EHR
 *                                     queue or one event (by event id) to the intake queue; audited with the caller
 *   GET  /v1/flows[?tenant=T]         every flow's switch (on, off, shadow) of the caller's tenants
 *   PUT  /v1/flows/{tenant}/{flow}  {"mode": "on|off|shadow"}   switch one flow (seen everywhere within 60 s;
 *                                     audited in the journal: who, when, from→to)
 *   GET  /v1/shadow-report?since=ISO|duration[&until=ISO][&tenant=T]   the shadow comparison per flow (no PHI)
 * </pre>
 *
 * The caller's tenants come from its verified IAM identity through the review API's {@link ReviewAccess}
 * ({@code REVIEW_CALLER_TENANTS}); only those tenants' journal keys are read, so another tenant's id is
 * simply not found (404). Answers hold ids, stages, outcomes and times only (no PHI). Errors are the
 * review API's problem+json ({@link ProblemJson}). The answers' JSON is {@link OpsJson}.
 */
public final class OpsApiHandler implements RequestStreamHandler {

  private static final System.Logger LOG = System.getLogger(OpsApiHandler.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:|#^-]{0,199}");
  private static final int MAX_BODY = 2048;

  private final TraceMessage trace;
  private final ReplayMessage replay;
  private final ReviewAccess access;
  private final Switchboard switchboard;
  private final Clock clock;

  /** The switch and shadow use cases the ops routes (and the ops console) call; null: no switch table. */
  record Switchboard(ListFlowSwitches list, SetFlowSwitch set, ReportShadow report) {}

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private io.telebridge.aws.Priming priming;

  /** Lambda's entry; a refused request (no IAM identity) primes it. */
  public OpsApiHandler() {
    this(ProcessEnvironment.forLambda());
    this.priming = io.telebridge.aws.Priming.of("ops-api")
        .step("refused request", () -> LambdaJson.invoke(this, TranslatorWiring.primingRequest("GET", "/v1/traces/prime"), null))
        .register();
  }

  public OpsApiHandler(Map<String, String> environment) {
    this(wire(environment));
  }

  private OpsApiHandler(Wiring w) {
    this(w.trace(), w.replay(), w.access(), w.switchboard(), Clock.systemUTC());
  }

  OpsApiHandler(TraceMessage trace, ReplayMessage replay, ReviewAccess access) {
    this(trace, replay, access, null, Clock.systemUTC());
  }

  OpsApiHandler(TraceMessage trace, ReplayMessage replay, ReviewAccess access, Switchboard switchboard, Clock clock) {
    this.trace = trace;
    this.replay = replay;
    this.access = access;
    this.switchboard = switchboard;
    this.clock = clock;
  }

  /** The ops use cases (trace, audited replay, flow switches when configured) and who may use them; the console shares them. */
  record Wiring(TraceMessage trace, ReplayMessage replay, ReviewAccess access, Switchboard switchboard) {}

  static Wiring wire(Map<String, String> env) {
    return wire(env, AwsClients.shared(AwsSettings.fromEnvironment(env)));
  }

  static Wiring wire(Map<String, String> env, AwsClients clients) {
    EnvironmentReader read = new EnvironmentReader("ops API", env);
    String toEhr = read.required("TO_EHR_QUEUE_URL");
    String intake = read.required("INTAKE_QUEUE_URL");
    read.required("JOURNAL_TABLE");
    read.check();
    JournalSettings settings = JournalSettings.fromEnvironment(env);
    DynamoDb dynamo = clients.dynamoDb();
    Clock clock = Clock.systemUTC();
    EmfMetrics metrics = EmfMetrics.stdout("ops-api");
    // the audit record is written strictly (no record, no replay); its metric (Replays) is derived as for every step
    io.telebridge.core.journal.Journal strict = settings.strictJournal(dynamo);
    GuardedJournal counted = new GuardedJournal(io.telebridge.core.journal.Journal.NONE, metrics);
    ReplayMessage replay = new ReplayMessage(settings.archive(dynamo, clock), new SqsReplayTarget(clients.sqs(), toEhr,
        intake), entry -> {
          strict.record(entry);
          counted.record(entry);
        }, clock);
    FlowSwitchSettings flows = FlowSwitchSettings.fromEnvironment(env);
    Switchboard switchboard = flows.table() == null ? null
        : new Switchboard(new ListFlowSwitches(flows.switches(dynamo), settings.reader(dynamo)),
            new SetFlowSwitch(flows.switches(dynamo), strict, clock),
            new ReportShadow(flows.shadows(dynamo), new Hl7ShadowFields()));
    return new Wiring(new TraceMessage(settings.reader(dynamo)), replay,
        ReviewAccess.parse(env.get("REVIEW_CALLER_TENANTS")), switchboard);
  }

  /** A request refused, mapped to its problem in {@link #handleRequest} only. */
  private static final class Refused extends RuntimeException {
    private final transient Problem problem;

    Refused(String slug, String title, int status, String detail) {
      super(title, null, false, false);
      this.problem = new Problem(URI.create("urn:telebridge:problem:" + slug), title, status, detail, List.of(), null);
    }
  }

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and the answer's bytes back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.http(input, output, context, this::handle);
  }

  public HttpApiResponse handle(HttpApiRequest event, Context context) {
    String requestId = event == null ? null : event.requestId();
    String caller = ReviewApiRequest.caller(event);
    String path = event == null || event.rawPath() == null ? "" : event.rawPath();
    String method = event != null && event.method() != null ? event.method() : "GET";
    try {
      if (caller == null) {
        throw new Refused("forbidden", "Forbidden", 403, "the request carries no verified IAM identity");
      }
      Set<String> tenants = access.tenantsOf(caller);
      if (tenants.isEmpty()) {
        throw new Refused("forbidden", "Forbidden", 403, "the caller is mapped to no tenant");
      }
      if (path.startsWith("/v1/traces/") && method.equalsIgnoreCase("GET")) {
        String id = java.net.URLDecoder.decode(path.substring("/v1/traces/".length()).replace("+", "%2B"),
            StandardCharsets.UTF_8);
        return trace(checkedId(id), tenantsAsked(tenants, query(event, "tenant")), caller);
      }
      if (path.equals("/v1/replays") && method.equalsIgnoreCase("POST")) {
        JsonNode body = body(event);
        String id = checkedId(body.path("id").asString(""));
        String asked = body.path("tenant").isMissingNode() || body.path("tenant").isNull() ? null
            : body.path("tenant").asString("");
        return replay(id, tenantsAsked(tenants, asked), caller);
      }
      if (path.equals("/v1/flows") && method.equalsIgnoreCase("GET")) {
        return flows(tenantsAsked(tenants, query(event, "tenant")));
      }
      if (path.startsWith("/v1/flows/") && method.equalsIgnoreCase("PUT")) {
        String[] parts = path.substring("/v1/flows/".length()).split("/", -1);
        if (parts.length != 2) {
          throw new Refused("not-found", "Not Found", 404, "no such route (PUT /v1/flows/{tenant}/{flow})");
        }
        String tenant = tenantsAsked(tenants, parts[0]).get(0);
        return setFlow(tenant, parts[1], body(event), caller);
      }
      if (path.equals("/v1/shadow-report") && method.equalsIgnoreCase("GET")) {
        return shadowReport(tenantsAsked(tenants, query(event, "tenant")), query(event, "since"), query(event, "until"),
            caller);
      }
      throw new Refused("not-found", "Not Found", 404, "no such route");
    } catch (Refused refused) {
      LOG.log(Level.INFO, "ops api {0} {1} refused status={2} type={3} caller={4}", method, path,
          refused.problem.status(), refused.problem.type(), caller);
      return ProblemJson.response(refused.problem, requestId);
    } catch (TransientException e) {
      LOG.log(Level.WARNING, "ops api temporarily unavailable requestId={0}: {1}", requestId, e.getClass().getSimpleName());
      return ProblemJson.response(new Problem(URI.create("urn:telebridge:problem:temporarily-unavailable"),
          "Service Unavailable", 503, "a dependency is unavailable; nothing was changed, retry later", List.of(),
          Duration.ofSeconds(5)), requestId);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "ops api failed unexpectedly requestId={0}: {1}", requestId, e.getClass().getName());
      return ProblemJson.response(new Problem(URI.create("urn:telebridge:problem:internal"),
          "Internal Server Error", 500, "unexpected error; retry later", List.of(), Duration.ofSeconds(5)), requestId);
    }
  }

  private HttpApiResponse trace(String id, List<String> tenants, String caller) {
    for (String tenant : tenants) {
      Trace t = trace.trace(tenant, id);
      if (t.found()) {
        LOG.log(Level.INFO, "ops api trace id={0} tenant={1} steps={2} caller={3}", id, tenant, t.steps().size(), caller);
        return ok(200, OpsJson.traceJson(t));
      }
    }
    throw new Refused("not-found", "Not Found", 404, "the journal has nothing for " + id
        + " in the caller's tenants (unknown, another tenant's, or older than the journal's retention)");
  }

  private HttpApiResponse replay(String id, List<String> tenants, String caller) {
    for (String tenant : tenants) {
      ReplayMessage.Replayed r = replay.replay(tenant, id, caller);
      if (r.sent()) {
        LOG.log(Level.INFO, "ops api replay subject={0} tenant={1} to={2} caller={3}", r.subject(), tenant, r.queue(),
            caller);
        ObjectNode body = JSON.createObjectNode().put("tenant", tenant).put("subject", r.subject())
            .put("queue", r.queue()).put("replayedBy", caller).put("deduplicationId", r.deduplicationId());
        return ok(202, body);
      }
    }
    throw new Refused("not-found", "Not Found", 404, "nothing archived for " + id
        + " in the caller's tenants (not an MSH-10 or event id the translator queued, or past the retention)");
  }

  private Switchboard switchboard() {
    if (switchboard == null) {
      throw new Refused("not-found", "Not Found", 404, "flow switches are not configured (FLOW_SWITCHES_TABLE)");
    }
    return switchboard;
  }

  private HttpApiResponse flows(List<String> tenants) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode out = body.putArray("tenants");
    for (String tenant : tenants.stream().sorted().toList()) {
      ObjectNode t = out.addObject().put("tenant", tenant);
      ArrayNode flows = t.putArray("flows");
      switchboard().list().list(tenant).forEach(s -> flows.add(OpsJson.switchJson(s)));
    }
    return ok(200, body);
  }

  private HttpApiResponse setFlow(String tenant, String flowName, JsonNode body, String caller) {
    Flow flow;
    FlowMode mode;
    try {
      flow = Flow.fromWire(java.net.URLDecoder.decode(flowName, StandardCharsets.UTF_8));
      mode = FlowMode.fromWire(body.path("mode").asString(""));
    } catch (IllegalArgumentException e) {
      throw new Refused("invalid-request", "Bad Request", 400, e.getMessage());
    }
    SetFlowSwitch.Changed changed = switchboard().set().set(tenant, flow, mode, caller);
    return ok(200, OpsJson.switchJson(changed.now()).put("tenant", tenant).put("from", changed.from().wire())
        .put("takesEffectWithinSeconds", CachedFlowSwitches.MAX_TTL.toSeconds()));
  }

  private HttpApiResponse shadowReport(List<String> tenants, String since, String until, String caller) {
    Instant to = until == null || until.isBlank() ? clock.instant() : instant(until, "until");
    if (since == null || since.isBlank()) {
      throw new Refused("invalid-request", "Bad Request", 400, "since is required (an ISO instant or a duration: 30m, 24h, 7d, PT2H)");
    }
    Instant from = since(since, to);
    if (!from.isBefore(to)) {
      throw new Refused("invalid-request", "Bad Request", 400, "since must be before until");
    }
    ObjectNode body = JSON.createObjectNode().put("since", from.toString()).put("until", to.toString());
    ArrayNode reports = body.putArray("reports");
    for (String tenant : tenants.stream().sorted().toList()) {
      ShadowReport r = switchboard().report().report(tenant, from, to);
      reports.add(OpsJson.shadowJson(r));
    }
    LOG.log(Level.INFO, "ops api shadow-report tenants={0} since={1} caller={2}", tenants.size(), from, caller);
    return ok(200, body);
  }

  /** An ISO instant, or a duration back from {@code until}: {@code 30m}, {@code 24h}, {@code 7d}, {@code PT2H}. */
  static Instant since(String value, Instant until) {
    String v = value.trim();
    java.util.regex.Matcher m = Pattern.compile("(\\d{1,6})([smhd])").matcher(v);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return until.minus(switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
      }
      if (v.startsWith("P") || v.startsWith("p")) {
        return until.minus(Duration.parse(v));
      }
    } catch (RuntimeException e) {
      throw new Refused("invalid-request", "Bad Request", 400, "since: not a duration (30m, 24h, 7d, PT2H)");
    }
    return instant(v, "since");
  }

  private static Instant instant(String v, String name) {
    try {
      return java.time.OffsetDateTime.parse(v.trim()).toInstant();
    } catch (RuntimeException e) {
      throw new Refused("invalid-request", "Bad Request", 400, name + ": not an ISO instant (2026-12-07T09:00:00Z)");
    }
  }

  private static String checkedId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new Refused("invalid-request", "Bad Request", 400,
          "the id must be an event id, MSH-10, appointment id or platform patient id (letters, digits, ._:|#^-)");
    }
    return id;
  }

  /** The caller's tenants, or the one asked for (another is 403). */
  private static List<String> tenantsAsked(Set<String> tenants, String asked) {
    if (asked == null || asked.isEmpty()) {
      return new ArrayList<>(tenants);
    }
    if (!TENANT.matcher(asked).matches()) {
      throw new Refused("invalid-request", "Bad Request", 400, "tenant must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    }
    if (!tenants.contains(asked)) {
      throw new Refused("forbidden", "Forbidden", 403, "the caller may not act for this tenant");
    }
    return List.of(asked);
  }

  private static String query(HttpApiRequest event, String name) {
    Map<String, String> q = event.queryStringParameters();
    return q == null ? null : q.get(name);
  }

  private static JsonNode body(HttpApiRequest event) {
    String raw = event.body();
    if (raw == null || raw.isEmpty()) {
      throw new Refused("malformed-json", "Bad Request", 400, "the body must be a JSON object");
    }
    byte[] bytes;
    try {
      bytes = event.isBase64Encoded() ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refused("malformed-json", "Bad Request", 400, "the body must be a JSON object");
    }
    if (bytes.length > MAX_BODY) {
      throw new Refused("payload-too-large", "Content Too Large", 413, "the body is over " + MAX_BODY + " bytes");
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new Refused("malformed-json", "Bad Request", 400, "the body must be a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new Refused("malformed-json", "Bad Request", 400, "the body is not valid JSON");
    }
  }

  private static HttpApiResponse ok(int status, ObjectNode body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    return HttpApiResponse.of(status, headers, JSON.writeValueAsString(body));
  }
}
