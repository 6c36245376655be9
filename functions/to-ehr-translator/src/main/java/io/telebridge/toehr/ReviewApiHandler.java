package io.telebridge.toehr;

import io.telebridge.core.config.ProcessEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.Problem;
import io.telebridge.core.model.Address;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.Phone;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.ReviewCase;
import io.telebridge.matching.mpi.ReviewCases;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import io.telebridge.aws.ProblemJson;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The review API (HTTP API, payload 2.0, AWS_IAM authorization): ops list the open review cases,
 * look at one (demographics only on explicit request), and resolve it, which replays its parked
 * events through the translator's flow before answering.
 *
 * <pre>
 *   GET  /v1/reviews[?tenant=T]                    open cases of the caller's tenants: ids, scores, explanations (no PHI)
 *   GET  /v1/reviews/{caseId}[?include=demographics] a case and its parked event ids (+ PHI on request)
 *   POST /v1/reviews/{caseId}/resolution           {"action":"link","personId":"…"[,"confirm":true]} | {"action":"new"}
 * </pre>
 *
 * The caller's tenants come from its verified IAM identity through {@link ReviewAccess}
 * ({@code REVIEW_CALLER_TENANTS}), never from the request: a caller mapped to no tenant gets 403, a
 * case of a tenant not its own is 404 (as a case that does not exist), {@code ?tenant=} only narrows
 * the list to one of the caller's tenants (another is 403). {@code link} takes one of the case's own
 * candidates, or a person of the case's tenant with {@code "confirm": true}; anything else is 422 and
 * changes nothing.
 *
 * The resolver recorded on the case is the caller's IAM identity as API Gateway verified it
 * ({@code requestContext.authorizer.iam}: the user/role ARN, else the access key), never a body
 * field. Errors are {@code application/problem+json}. Logs carry ids only: case ids, person ids,
 * tenants, the caller's identity, status codes.
 */
public final class ReviewApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final System.Logger LOG = System.getLogger(ReviewApiHandler.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:|#-]{0,255}");
  private static final int MAX_BODY = 4096;

  private final ReviewCases reviews;
  private final ReviewAccess access;

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private io.telebridge.aws.Priming priming;

  /** Lambda's entry: the translator's wiring, built once per container; a refused request primes it. */
  public ReviewApiHandler() {
    this(ProcessEnvironment.forLambda());
    this.priming = io.telebridge.aws.Priming.of("review-api")
        .step("refused request", () -> handleRequest(TranslatorWiring.primingRequest("GET", "/v1/review-cases"), null))
        .register();
  }

  /** The local stack's entry: the function's environment as template.yaml resolves it. */
  public ReviewApiHandler(Map<String, String> environment) {
    this(TranslatorWiring.of(TranslatorConfig.fromEnvironment(environment),
        io.telebridge.aws.JournalSettings.fromEnvironment(environment),
        io.telebridge.aws.FlowSwitchSettings.fromEnvironment(environment)).reviews(),
        ReviewAccess.parse(environment.get("REVIEW_CALLER_TENANTS")));
  }

  ReviewApiHandler(ReviewCases reviews, ReviewAccess access) {
    this.reviews = reviews;
    this.access = access;
  }

  /** A request the API refuses, mapped to its problem in {@link #handleRequest} only. */
  private static final class Refused extends RuntimeException {
    private final transient Problem problem;

    Refused(Problem problem) {
      super(problem.title(), null, false, false);
      this.problem = problem;
    }
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String requestId = requestId(event);
    String method = method(event);
    String caller = caller(event);
    try {
      if (caller == null) {
        // API Gateway's IAM authorizer never lets such a request through; refuse it here too
        throw new Refused(problem("forbidden", "Forbidden", 403, "the request carries no verified IAM identity"));
      }
      List<String> path = segments(event.getRawPath());
      if (path.size() < 2 || !path.get(0).equals("v1") || !path.get(1).equals("reviews") || path.size() > 4
          || path.size() == 4 && !path.get(3).equals("resolution")) {
        throw notFound("no such route");
      }
      String caseId = path.size() >= 3 ? path.get(2) : null;
      if (caseId != null && !ID.matcher(caseId).matches()) {
        throw notFound("no review case with this id");
      }
      Set<String> tenants = access.tenantsOf(caller);
      if (tenants.isEmpty()) {
        throw new Refused(problem("forbidden", "Forbidden", 403, "the caller is mapped to no tenant"));
      }
      APIGatewayV2HTTPResponse response;
      if (path.size() == 2 && method.equals("GET")) {
        response = list(listed(event, tenants), caller);
      } else if (path.size() == 3 && method.equals("GET")) {
        response = show(tenantOfCase(tenants, caseId), caseId, includesDemographics(event), caller);
      } else if (path.size() == 4 && method.equals("POST")) {
        JsonNode request = body(event);
        response = resolve(tenantOfCase(tenants, caseId), caseId, request, caller);
      } else {
        throw new Refused(problem("method-not-allowed", "Method Not Allowed", 405, "method " + method
            + " is not served on this route"));
      }
      return response;
    } catch (Refused refused) {
      LOG.log(Level.INFO, "review api {0} {1} refused status={2} type={3} caller={4}", method, routeOf(event),
          refused.problem.status(), refused.problem.type(), caller);
      return ProblemJson.response(refused.problem, requestId);
    } catch (TransientException e) {
      LOG.log(Level.WARNING, "review api {0} {1} temporarily unavailable requestId={2}: {3}", method, routeOf(event),
          requestId, e.getClass().getSimpleName());
      return ProblemJson.response(new Problem(URI.create("urn:telebridge:problem:temporarily-unavailable"),
          "Service Unavailable", 503, "a dependency is unavailable; nothing was changed, retry later", List.of(),
          Duration.ofSeconds(5)), requestId);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "review api failed unexpectedly requestId={0}: {1}", requestId, e.getClass().getName());
      return ProblemJson.response(new Problem(URI.create("urn:telebridge:problem:internal"), "Internal Server Error", 500,
          "unexpected error; retry later", List.of(), Duration.ofSeconds(5)), requestId);
    }
  }

  // ------------------------------------------------------------------ routes

  private APIGatewayV2HTTPResponse list(List<String> tenants, String caller) {
    List<ReviewCase> open = new ArrayList<>();
    for (String t : tenants) {
      open.addAll(reviews.open(t));
    }
    String tenant = String.join(",", tenants);
    ObjectNode body = JSON.createObjectNode();
    if (tenants.size() == 1) {
      body.put("tenant", tenants.get(0));
    }
    ArrayNode listedTenants = body.putArray("tenants");
    tenants.forEach(listedTenants::add);
    ArrayNode cases = body.putArray("cases");
    for (ReviewCase c : open) {
      cases.add(caseJson(c));
    }
    LOG.log(Level.INFO, "review api list tenant={0} cases={1} caller={2}", tenant, open.size(), caller);
    return ok(body);
  }

  private APIGatewayV2HTTPResponse show(String tenant, String caseId, boolean demographics, String caller) {
    ReviewCase c = reviews.get(tenant, caseId).orElseThrow(() -> notFound("no review case " + caseId));
    ObjectNode body = caseWithEvents(c);
    if (demographics) {
      // PHI, on explicit request only: the access is logged with who and which case, nothing else
      LOG.log(Level.INFO, "review api demographics access case={0} tenant={1} caller={2}", caseId, tenant, caller);
      body.set("demographics", demographicsJson(reviews.demographics(tenant, caseId)));
    } else {
      LOG.log(Level.INFO, "review api show case={0} tenant={1} caller={2}", caseId, tenant, caller);
    }
    return ok(body);
  }

  private APIGatewayV2HTTPResponse resolve(String tenant, String caseId, JsonNode request, String caller) {
    String action = request.path("action").isString() ? request.path("action").asString() : null;
    ReviewCase resolved;
    try {
      if ("link".equals(action)) {
        JsonNode personId = request.get("personId");
        if (personId == null || !personId.isString() || !ID.matcher(personId.asString()).matches()) {
          throw badBody(new InvalidField("/personId", "is required with action link (a person id from the case's candidates)"));
        }
        checkFields(request, Set.of("action", "personId", "confirm"));
        JsonNode confirm = request.get("confirm");
        if (confirm != null && !confirm.isBoolean()) {
          throw badBody(new InvalidField("/confirm", "must be true or false"));
        }
        LOG.log(Level.INFO, "review api resolve case={0} tenant={1} link person={2} caller={3}", caseId, tenant,
            personId.asString(), caller);
        resolved = reviews.link(tenant, caseId, personId.asString(), confirm != null && confirm.asBoolean(), caller);
      } else if ("new".equals(action)) {
        checkFields(request, Set.of("action"));
        LOG.log(Level.INFO, "review api resolve case={0} tenant={1} new caller={2}", caseId, tenant, caller);
        resolved = reviews.createNew(tenant, caseId, caller);
      } else {
        throw badBody(new InvalidField("/action", "must be one of link, new"));
      }
    } catch (NoSuchElementException unknown) {
      throw notFound("no review case " + caseId);
    } catch (ReviewCases.NotLinkable refused) {
      throw new Refused(problem("not-linkable", "Unprocessable Content", 422, refused.getMessage()));
    } catch (ReviewCases.Conflict conflict) {
      throw new Refused(problem("review-conflict", "Conflict", 409, conflict.getMessage()));
    } catch (TransientException stopped) {
      // the decision is stored (REPLAYING); the same request again continues the replay where it stopped
      LOG.log(Level.WARNING, "review api replay stopped case={0}: {1}", caseId, stopped.getClass().getSimpleName());
      throw new Refused(new Problem(URI.create("urn:telebridge:problem:replay-interrupted"), "Service Unavailable",
          503, "the replay stopped on a transient failure; send the same resolution again to continue it",
          List.of(), Duration.ofSeconds(10)));
    }
    return ok(caseWithEvents(resolved));
  }

  // ------------------------------------------------------------------ JSON

  private ObjectNode caseWithEvents(ReviewCase c) {
    ObjectNode body = caseJson(c);
    body.put("explanation", c.explanation());
    ArrayNode events = body.putArray("parkedEvents");
    for (ParkedEvent e : reviews.parked(c.tenant(), c.caseId())) {
      events.addObject().put("seq", e.seq()).put("eventId", e.eventId());
    }
    return body;
  }

  static ObjectNode caseJson(ReviewCase c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("caseId", c.caseId());
    o.put("tenant", c.tenant());
    o.put("platformPatientId", c.platformPatientId());
    o.put("firstEventId", c.firstEventId());
    o.put("status", c.status().name());
    o.put("reason", c.reason());
    o.put("score", round(c.score()));
    o.put("createdAt", c.createdAt() == null ? null : c.createdAt().toString());
    ArrayNode candidates = o.putArray("candidates");
    for (ReviewCase.Candidate candidate : c.candidates()) {
      ObjectNode k = candidates.addObject();
      k.put("personId", candidate.personId());
      k.put("score", round(candidate.score()));
      k.set("agreed", list(candidate.agreed()));
      k.set("disagreed", list(candidate.disagreed()));
      k.set("missing", list(candidate.missing()));
      k.set("guards", list(candidate.guards()));
    }
    if (c.resolution() != null) {
      o.put("resolution", c.resolution());
      o.put("resolvedBy", c.resolvedBy());
      o.put("resolvedAt", c.resolvedAt() == null ? null : c.resolvedAt().toString());
    }
    o.put("replayed", c.replayed());
    return o;
  }

  private static double round(double score) {
    return Math.round(score * 100.0) / 100.0;
  }

  /** "a,b" or "[A, B]" (a guard set) → ["a","b"]. */
  private static ArrayNode list(String joined) {
    ArrayNode a = JSON.createArrayNode();
    if (joined == null) {
      return a;
    }
    String s = joined.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        a.add(part.strip());
      }
    }
    return a;
  }

  private static ObjectNode demographicsJson(ReviewCases.Demographics d) {
    ObjectNode o = JSON.createObjectNode();
    o.set("incoming", d.incoming() == null ? null : patientJson(d.incoming()));
    ArrayNode candidates = o.putArray("candidates");
    for (Map.Entry<String, List<NormalizedPerson>> e : d.candidates().entrySet()) {
      ObjectNode k = candidates.addObject();
      k.put("personId", e.getKey());
      ArrayNode records = k.putArray("records");
      for (NormalizedPerson p : e.getValue()) {
        records.add(recordJson(p));
      }
    }
    return o;
  }

  private static ObjectNode patientJson(PatientDemographics p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("platformPatientId", p.platformPatientId());
    if (p.name() != null) {
      ObjectNode name = o.putObject("name");
      ArrayNode given = name.putArray("given");
      p.name().given().forEach(given::add);
      name.put("family", p.name().family());
      if (p.name().prefix() != null) {
        name.put("prefix", p.name().prefix());
      }
      if (p.name().suffix() != null) {
        name.put("suffix", p.name().suffix());
      }
    }
    o.put("birthDate", p.birthDate() == null ? null : p.birthDate().toString());
    o.put("sex", p.sex().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode phones = o.putArray("phones");
    for (Phone phone : p.phones()) {
      phones.addObject().put("use", phone.use()).put("number", phone.number());
    }
    o.put("email", p.email());
    Address a = p.address();
    if (a != null) {
      ObjectNode address = o.putObject("address");
      ArrayNode lines = address.putArray("lines");
      a.lines().forEach(lines::add);
      address.put("city", a.city()).put("state", a.state()).put("postalCode", a.postalCode()).put("country", a.country());
    }
    o.put("ssnLast4", p.ssnLast4());
    return o;
  }

  /** A candidate's filed record, as the matcher compares it (normalised values). */
  private static ObjectNode recordJson(NormalizedPerson p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("recordId", p.recordId());
    o.put("given", p.given());
    ArrayNode other = o.putArray("givenOther");
    p.givenOther().forEach(other::add);
    o.put("surname", p.surname());
    o.put("suffix", p.suffix());
    o.put("birthDate", p.dob());
    o.put("sex", p.sex().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode phones = o.putArray("phones");
    p.phones().forEach(phones::add);
    o.put("email", p.email());
    o.put("streetNumber", p.streetNumber());
    o.put("unit", p.unit());
    o.put("streetName", p.streetName());
    o.put("addressExtra", p.addressExtra());
    o.put("city", p.city());
    o.put("state", p.state());
    o.put("postcode", p.postcode());
    o.put("ssnLast4", p.ssnLast4());
    return o;
  }

  // ------------------------------------------------------------------ request

  /** The caller as API Gateway's IAM authorizer verified it: the user or role ARN, else the access key. */
  static String caller(APIGatewayV2HTTPEvent event) {
    if (event == null || event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null
        || event.getRequestContext().getAuthorizer().getIam() == null) {
      return null;
    }
    var iam = event.getRequestContext().getAuthorizer().getIam();
    if (iam.getUserArn() != null && !iam.getUserArn().isBlank()) {
      return iam.getUserArn();
    }
    return iam.getAccessKey() == null || iam.getAccessKey().isBlank() ? null : iam.getAccessKey();
  }

  private static String method(APIGatewayV2HTTPEvent event) {
    if (event != null && event.getRequestContext() != null && event.getRequestContext().getHttp() != null
        && event.getRequestContext().getHttp().getMethod() != null) {
      return event.getRequestContext().getHttp().getMethod().toUpperCase(java.util.Locale.ROOT);
    }
    return "GET";
  }

  private static String routeOf(APIGatewayV2HTTPEvent event) {
    return event == null || event.getRouteKey() == null ? "-" : event.getRouteKey();
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    if (rawPath == null) {
      return out;
    }
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The caller's tenants the list shows: all of them, or the one {@code ?tenant=} names (another is 403). */
  private static List<String> listed(APIGatewayV2HTTPEvent event, Set<String> tenants) {
    Optional<String> asked = query(event, "tenant");
    if (asked.isEmpty()) {
      return List.copyOf(tenants);
    }
    if (!TENANT.matcher(asked.get()).matches()) {
      throw new Refused(invalid(new InvalidField("tenant", "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")));
    }
    if (!tenants.contains(asked.get())) {
      throw new Refused(problem("forbidden", "Forbidden", 403, "the caller may not act for this tenant"));
    }
    return List.of(asked.get());
  }

  /** The caller's tenant that holds the case; a case of any other tenant is not found (404), like none. */
  private String tenantOfCase(Set<String> tenants, String caseId) {
    for (String t : tenants) {
      if (reviews.get(t, caseId).isPresent()) {
        return t;
      }
    }
    throw notFound("no review case " + caseId);
  }

  private static boolean includesDemographics(APIGatewayV2HTTPEvent event) {
    Optional<String> include = query(event, "include");
    if (include.isEmpty()) {
      return false;
    }
    if (!include.get().equals("demographics")) {
      throw new Refused(invalid(new InvalidField("include", "must be demographics")));
    }
    return true;
  }

  private static Optional<String> query(APIGatewayV2HTTPEvent event, String name) {
    Map<String, String> q = event.getQueryStringParameters();
    String v = q == null ? null : q.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  private static JsonNode body(APIGatewayV2HTTPEvent event) {
    String raw = event.getBody();
    if (raw == null || raw.isEmpty()) {
      throw new Refused(problem("malformed-json", "Bad Request", 400, "the body must be a JSON object"));
    }
    byte[] bytes;
    try {
      bytes = event.getIsBase64Encoded() ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refused(problem("malformed-json", "Bad Request", 400, "the body must be a JSON object"));
    }
    if (bytes.length > MAX_BODY) {
      throw new Refused(problem("payload-too-large", "Content Too Large", 413, "the body is over " + MAX_BODY + " bytes"));
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new Refused(problem("malformed-json", "Bad Request", 400, "the body must be a JSON object"));
      }
      return node;
    } catch (JacksonException e) {
      throw new Refused(problem("malformed-json", "Bad Request", 400, "the body is not valid JSON"));
    }
  }

  private static void checkFields(JsonNode request, Set<String> allowed) {
    List<InvalidField> unknown = new ArrayList<>();
    for (String name : request.propertyNames()) {
      if (!allowed.contains(name)) {
        unknown.add(new InvalidField("/" + name.replace("~", "~0").replace("/", "~1"), "is not allowed"));
      }
    }
    if (!unknown.isEmpty()) {
      throw new Refused(invalid(unknown.toArray(InvalidField[]::new)));
    }
  }

  // ------------------------------------------------------------------ responses

  private static Refused notFound(String detail) {
    return new Refused(problem("not-found", "Not Found", 404, detail));
  }

  private static Refused badBody(InvalidField field) {
    return new Refused(invalid(field));
  }

  private static Problem invalid(InvalidField... fields) {
    return new Problem(URI.create("urn:telebridge:problem:invalid-request"), "Bad Request", 400,
        "the request has invalid fields", List.of(fields), null);
  }

  private static Problem problem(String slug, String title, int status, String detail) {
    return new Problem(URI.create("urn:telebridge:problem:" + slug), title, status, detail, List.of(), null);
  }

  private static APIGatewayV2HTTPResponse ok(ObjectNode body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200)
        .withHeaders(headers)
        .withBody(JSON.writeValueAsString(body))
        .build();
  }

  private static String requestId(APIGatewayV2HTTPEvent event) {
    return event == null || event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
  }
}
