package io.telebridge.context;

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
import io.telebridge.core.context.ContextOutcome;
import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.context.PullContext;
import io.telebridge.core.context.PullSchedule;
import io.telebridge.core.context.Section;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.Problem;
import io.telebridge.core.switches.FlowMode;
import io.telebridge.core.webhook.TenantSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/context-requests {tenant, patientId, appointmentId?}}: the platform asks for a
 * patient's context now. Signed as webhooks are (the tenant's secret, HMAC over {@code timestamp.} +
 * body, verified by the intake's {@link TenantSecrets} / {@link WebhookSignature}); the body must name
 * the tenant whose secret signed it. 200 with the context document from the cache when fresh
 * ({@code X-Telebridge-Context: cached}), else pulled now ({@code pulled}; it is also delivered as
 * {@code patient.context.ready}); when the pull takes longer than ON_DEMAND_WAIT_MILLIS, 202 and the
 * pull is handed to a schedule that fires at once, the context then arriving as a webhook. Errors are
 * problem+json (the one writer): 400 bad body, 401 signature or tenant, 404 patient not linked / no
 * chart, 503 FHIR unavailable or refused, 503 {@code flow-off} / {@code flow-shadow} when the tenant's
 * context flow is switched off (nothing pulled) or in shadow (pulled and kept, not delivered; no cached
 * context is served either), without Retry-After: it lasts until an operator switches it on.
 */
public final class ContextRequestHandler implements RequestStreamHandler {

  private static final System.Logger LOG = System.getLogger(ContextRequestHandler.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ContextWiring wiring;
  private final WebhookSignature signature;
  private final ExecutorService pulls = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "context-pull");
    t.setDaemon(true);
    return t;
  });

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private io.telebridge.aws.Priming priming;

  /** Lambda's entry: wiring built once per container, primed before the SnapStart snapshot. */
  public ContextRequestHandler() {
    this(ContextWiring.of(ContextConfig.fromEnvironment(ProcessEnvironment.forLambda())));
    this.priming = wiring.priming().step("refused request", this::prime).register();
  }

  /**
   * The priming step: a synthetic request's bytes through the stream entry and the handler, refused at the signature (401: the
   * secret is read, nothing is pulled, cached or scheduled), then a request body parsed.
   */
  void prime() throws BadRequest, IOException {
    LambdaJson.invoke(this, LambdaJson.bytes(HttpApiRequest.of("POST", "/v1/context-requests", Map.of(
        "content-type", "application/json",
        WebhookSignature.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT), Long.toString(wiring.clock().instant().getEpochSecond()),
        WebhookSignature.SIGNATURE_HEADER.toLowerCase(Locale.ROOT), "v1=" + "0".repeat(64)), PRIMING_BODY)
        .withRequestId("prime")), null);
    parse(PRIMING_BODY.getBytes(StandardCharsets.UTF_8));
  }

  static final String PRIMING_BODY = "{\"tenant\":\"prime\",\"patientId\":\"prime\"}";

  public ContextRequestHandler(Map<String, String> environment) {
    this(ContextWiring.of(ContextConfig.fromEnvironment(environment)));
  }

  ContextRequestHandler(ContextWiring wiring) {
    this.wiring = wiring;
    this.signature = new WebhookSignature(wiring.clock());
  }

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and the answer's bytes back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.http(input, output, context, this::handle);
  }

  public HttpApiResponse handle(HttpApiRequest event, Context context) {
    String requestId = event == null ? null : event.requestId();
    try {
      return answer(event, requestId);
    } catch (io.telebridge.core.error.TransientException e) {
      LOG.log(Level.WARNING, "context request unavailable requestId={0}: {1}", requestId, e.getClass().getSimpleName());
      return ProblemJson.response(problem("temporarily-unavailable", "Service Unavailable", 503,
          "a dependency is unavailable; retry later", List.of(), Duration.ofSeconds(5)), requestId);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "context request failed unexpectedly requestId={0}: {1}", requestId, e.getClass().getName());
      return ProblemJson.response(problem("internal", "Internal Server Error", 500, "unexpected error; retry later",
          List.of(), Duration.ofSeconds(5)), requestId);
    }
  }

  private HttpApiResponse answer(HttpApiRequest event, String requestId) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (event.headers() != null) {
      event.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }
    byte[] body = event.body() == null ? new byte[0]
        : event.isBase64Encoded() ? Base64.getDecoder().decode(event.body())
            : event.body().getBytes(StandardCharsets.UTF_8);
    if (wiring.secrets() == null) {
      return ProblemJson.response(problem("internal", "Internal Server Error", 500,
          "no WEBHOOK_SECRET_ARN: on-demand requests cannot be verified", List.of(), null), requestId);
    }
    TenantSecrets.Verified verified = wiring.secrets().get().signer(signature,
        headers.get(WebhookSignature.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT)),
        headers.get(WebhookSignature.SIGNATURE_HEADER.toLowerCase(Locale.ROOT)), body);
    if (verified.failure() != null) {
      HttpApiResponse r = ProblemJson.response(problem(
          verified.failure() == WebhookSignature.Failure.EXPIRED_TIMESTAMP ? "stale-timestamp" : "invalid-signature",
          "Unauthorized", 401, verified.failure().detail(), List.of(), null), requestId);
      r.headers().put("WWW-Authenticate", "TelebridgeSignature realm=\"telebridge\"");
      return r;
    }
    ContextRequest request;
    try {
      request = parse(body);
    } catch (BadRequest bad) {
      return ProblemJson.response(problem("invalid-request", "Bad Request", 400, "the context request is not valid",
          bad.errors, null), requestId);
    }
    if (!verified.tenant().equals(request.tenant())) {
      return ProblemJson.response(problem("tenant-mismatch", "Unauthorized", 401,
          "the request's tenant is not the tenant whose secret signed it", List.of(), null), requestId);
    }
    // the tenant's context flow: only when it is on may a cached context be served
    boolean on = wiring.pull().mode(request.tenant()) == FlowMode.ON;
    Optional<String> cached = on
        ? wiring.cache().fresh(request.tenant(), request.platformPatientId(), wiring.clock().instant()) : Optional.empty();
    if (cached.isPresent()) {
      LOG.log(Level.INFO, "context request tenant={0} patient={1}: cached", request.tenant(), request.platformPatientId());
      return document(cached.get(), "cached");
    }
    Future<PullContext.Result> pulled = pulls.submit(() -> wiring.pull().pull(request));
    PullContext.Result result;
    try {
      result = pulled.get(wiring.onDemandWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      pulled.cancel(true);
      wiring.schedules().put(PullSchedule.onDemand(request, wiring.clock().instant()));
      LOG.log(Level.INFO, "context request tenant={0} patient={1}: the EHR is slow, 202 and delivered as a webhook",
          request.tenant(), request.platformPatientId());
      return HttpApiResponse.of(202, new LinkedHashMap<>(Map.of("Content-Type", "application/json")), "{\"status\":\"pending\",\"deliveredAs\":\"patient.context.ready\"}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
    if (result.heldBy() != null) {
      return heldBack(request, result.heldBy(), requestId);
    }
    return switch (result.outcome()) {
      case ContextOutcome.Ready r -> document(wiring.writer().writeContext(r.context()), "pulled");
      case ContextOutcome.Unavailable u -> unavailable(u, requestId);
    };
  }

  private static HttpApiResponse document(String json, String how) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Telebridge-Context", how);
    return HttpApiResponse.of(200, headers, json);
  }

  /** The context flow is off (nothing pulled) or in shadow (pulled and kept, not delivered) for the tenant. */
  private static HttpApiResponse heldBack(ContextRequest request, FlowMode mode, String requestId) {
    LOG.log(Level.INFO, "context request tenant={0} patient={1}: the context flow is {2}", request.tenant(),
        request.platformPatientId(), mode.wire());
    return ProblemJson.response(mode == FlowMode.OFF
        ? problem("flow-off", "Service Unavailable", 503, "the context flow is switched off for this tenant: nothing"
            + " was pulled or delivered (the request is journaled)", List.of(), null)
        : problem("flow-shadow", "Service Unavailable", 503, "the context flow is in shadow mode for this tenant: the"
            + " context was pulled and kept for comparison, not delivered", List.of(), null), requestId);
  }

  private static HttpApiResponse unavailable(ContextOutcome.Unavailable u, String requestId) {
    boolean notFound = u.reason() == Section.Unavailable.Reason.PATIENT_NOT_LINKED
        || u.reason() == Section.Unavailable.Reason.PATIENT_NOT_FOUND;
    return ProblemJson.response(problem("context-unavailable", notFound ? "Not Found" : "Service Unavailable",
        notFound ? 404 : 503, "no context: " + u.reason().wireName(), List.of(),
        notFound ? null : Duration.ofSeconds(30)), requestId);
  }

  static Problem problem(String slug, String title, int status, String detail, List<InvalidField> errors,
      Duration retryAfter) {
    return new Problem(URI.create("urn:telebridge:problem:" + slug), title, status, detail, errors, retryAfter);
  }

  private static final class BadRequest extends Exception {
    final transient List<InvalidField> errors;

    BadRequest(List<InvalidField> errors) {
      super(null, null, false, false);
      this.errors = errors;
    }
  }

  static ContextRequest parse(byte[] body) throws BadRequest {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new BadRequest(List.of(new InvalidField("", "the body is not JSON")));
    }
    if (n == null || !n.isObject()) {
      throw new BadRequest(List.of(new InvalidField("", "the body must be a JSON object")));
    }
    List<InvalidField> errors = new ArrayList<>();
    for (String required : List.of("tenant", "patientId")) {
      JsonNode v = n.get(required);
      if (v == null || !v.isString() || v.asString().isBlank()) {
        errors.add(new InvalidField("/" + required, "required: a non-empty string"));
      }
    }
    JsonNode appointment = n.get("appointmentId");
    if (appointment != null && !appointment.isNull() && (!appointment.isString() || appointment.asString().isBlank())) {
      errors.add(new InvalidField("/appointmentId", "a non-empty string when present"));
    }
    for (var e : n.properties()) {
      if (!List.of("tenant", "patientId", "appointmentId").contains(e.getKey())) {
        errors.add(new InvalidField("/" + e.getKey(), "not a field of a context request"));
      }
    }
    if (!errors.isEmpty()) {
      throw new BadRequest(errors);
    }
    return new ContextRequest(n.get("tenant").asString(), n.get("patientId").asString(),
        appointment == null || appointment.isNull() ? null : appointment.asString());
  }
}
