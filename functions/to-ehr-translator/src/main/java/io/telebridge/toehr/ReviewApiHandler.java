package io.telebridge.toehr;

import static io.telebridge.toehr.ReviewApiRequest.ID;
import static io.telebridge.toehr.ReviewApiRequest.JSON;
import static io.telebridge.toehr.ReviewApiRequest.badBody;
import static io.telebridge.toehr.ReviewApiRequest.body;
import static io.telebridge.toehr.ReviewApiRequest.caller;
import static io.telebridge.toehr.ReviewApiRequest.checkFields;
import static io.telebridge.toehr.ReviewApiRequest.includesDemographics;
import static io.telebridge.toehr.ReviewApiRequest.listed;
import static io.telebridge.toehr.ReviewApiRequest.method;
import static io.telebridge.toehr.ReviewApiRequest.notFound;
import static io.telebridge.toehr.ReviewApiRequest.ok;
import static io.telebridge.toehr.ReviewApiRequest.problem;
import static io.telebridge.toehr.ReviewApiRequest.requestId;
import static io.telebridge.toehr.ReviewApiRequest.routeOf;
import static io.telebridge.toehr.ReviewApiRequest.segments;
import static io.telebridge.toehr.ReviewJson.caseJson;
import static io.telebridge.toehr.ReviewJson.demographicsJson;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.telebridge.aws.lambda.LambdaJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.aws.ProblemJson;
import io.telebridge.core.config.ProcessEnvironment;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.Problem;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.ReviewCase;
import io.telebridge.matching.mpi.ReviewCases;
import io.telebridge.toehr.ReviewApiRequest.Refused;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
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
 * tenants, the caller's identity, status codes. The request's parsing and checks are {@link ReviewApiRequest},
 * the JSON {@link ReviewJson}.
 */
public final class ReviewApiHandler implements RequestStreamHandler {

  private static final System.Logger LOG = System.getLogger(ReviewApiHandler.class.getName());
  private final ReviewCases reviews;
  private final ReviewAccess access;

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private io.telebridge.aws.Priming priming;

  /** Lambda's entry: the translator's wiring, built once per container; a refused request primes it. */
  public ReviewApiHandler() {
    this(ProcessEnvironment.forLambda());
    this.priming = io.telebridge.aws.Priming.of("review-api")
        .step("refused request", () -> LambdaJson.invoke(this, TranslatorWiring.primingRequest("GET", "/v1/review-cases"), null))
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

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and the answer's bytes back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.http(input, output, context, this::handle);
  }

  public HttpApiResponse handle(HttpApiRequest event, Context context) {
    String requestId = requestId(event);
    String method = method(event);
    String caller = caller(event);
    try {
      if (caller == null) {
        // API Gateway's IAM authorizer never lets such a request through; refuse it here too
        throw new Refused(problem("forbidden", "Forbidden", 403, "the request carries no verified IAM identity"));
      }
      List<String> path = segments(event.rawPath());
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
      HttpApiResponse response;
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
          refused.problem().status(), refused.problem().type(), caller);
      return ProblemJson.response(refused.problem(), requestId);
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

  private HttpApiResponse list(List<String> tenants, String caller) {
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

  private HttpApiResponse show(String tenant, String caseId, boolean demographics, String caller) {
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

  private HttpApiResponse resolve(String tenant, String caseId, JsonNode request, String caller) {
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

  private ObjectNode caseWithEvents(ReviewCase c) {
    ObjectNode body = caseJson(c);
    body.put("explanation", c.explanation());
    ArrayNode events = body.putArray("parkedEvents");
    for (ParkedEvent e : reviews.parked(c.tenant(), c.caseId())) {
      events.addObject().put("seq", e.seq()).put("eventId", e.eventId());
    }
    return body;
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
}
