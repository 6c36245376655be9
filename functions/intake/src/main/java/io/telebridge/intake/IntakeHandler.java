package io.telebridge.intake;

import io.telebridge.core.config.ProcessEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.aws.lambda.LambdaJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.telebridge.aws.AwsClients;
import io.telebridge.aws.DynamoDbIdempotencyStore;
import io.telebridge.aws.ProblemJson;
import io.telebridge.aws.SecretsManagerSigningSecrets;
import io.telebridge.aws.S3PayloadStore;
import io.telebridge.aws.SqsEventQueue;
import io.telebridge.aws.JournalSettings;
import io.telebridge.aws.Priming;
import io.telebridge.core.claimcheck.ClaimChecks;
import io.telebridge.core.intake.AcceptWebhook;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalSteps;
import io.telebridge.core.intake.IntakeResult;
import io.telebridge.core.intake.Problem;
import io.telebridge.core.intake.WebhookRequest;
import io.telebridge.core.webhook.WebhookSignature;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.telebridge.aws.dynamodb.DynamoDb;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook intake function: API Gateway HTTP API (payload 2.0) → {@link AcceptWebhook} → HTTP
 * answer. Thin: it maps the request in and the result out, nothing else. Lambda's entry is the
 * stream ({@link LambdaJson}: the event's bytes in, the answer's bytes out); {@link #handle} is the
 * typed request.
 */
public final class IntakeHandler implements RequestStreamHandler {

  private static final System.Logger LOG = System.getLogger(IntakeHandler.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final AcceptWebhook acceptWebhook;
  private final Journal journal;
  /** SnapStart priming (Lambda's entry only): held so the CRaC context's weak reference stays alive. */
  private Priming priming;

  /** Lambda's entry: wiring built once per container, primed before the SnapStart snapshot. */
  public IntakeHandler() {
    this(ProcessEnvironment.forLambda(), true);
  }

  /** The local stack's entry: the function's environment as template.yaml resolves it. */
  public IntakeHandler(Map<String, String> environment) {
    this(environment, false);
  }

  private IntakeHandler(Map<String, String> environment, boolean snapStart) {
    this(IntakeConfig.fromEnvironment(environment), JournalSettings.fromEnvironment(environment), snapStart);
  }

  private IntakeHandler(IntakeConfig config, JournalSettings journal, boolean snapStart) {
    this(config, journal, AwsClients.shared(config.aws()), snapStart);
  }

  private IntakeHandler(IntakeConfig config, JournalSettings journal, AwsClients clients, boolean snapStart) {
    this(config, journal, clients, clients.dynamoDb(), clients.sqs(), snapStart);
  }

  /** One DynamoDB client for the idempotency table and the journal, one SQS client for the queue. */
  private IntakeHandler(IntakeConfig config, JournalSettings journal, AwsClients clients, DynamoDb dynamo,
      SqsClient sqs, boolean snapStart) {
    this(wire(config, clients, dynamo, sqs), journal.journal(dynamo, "intake"));
    if (snapStart) {
      this.priming = Priming.of("intake")
          .step("refused request", this::prime) // reads the signing secret, stores nothing
          .step("unsent accept", () -> primeAccept(config, journal, dynamo, sqs))
          .step("idempotency table", Priming.tableRead(dynamo, config.idempotencyTable()))
          .step("intake queue", Priming.queueRead(sqs, config.queueUrl()))
          .register();
    }
  }

  IntakeHandler(AcceptWebhook acceptWebhook) {
    this(acceptWebhook, Journal.NONE);
  }

  IntakeHandler(AcceptWebhook acceptWebhook, Journal journal) {
    this.acceptWebhook = acceptWebhook;
    this.journal = journal;
  }

  private static AcceptWebhook wire(IntakeConfig config, AwsClients clients, DynamoDb dynamo, SqsClient sqs) {
    Clock clock = Clock.systemUTC();
    JsonSchemaEventValidator validator = new JsonSchemaEventValidator().prime();
    return new AcceptWebhook(
        validator,
        new DynamoDbIdempotencyStore(dynamo, config.idempotencyTable(),
            config.settings().claimLease(), config.retention()),
        new SqsEventQueue(sqs, config.queueUrl()),
        SecretsManagerSigningSecrets.perTenant(clients.secretsManager(), config.secretArn(), clock, config.secretRefresh()),
        clock,
        config.settings(),
        config.payloadBucket() == null ? null
            : new ClaimChecks(new S3PayloadStore(S3PayloadStore.client(config.aws()), config.payloadBucket(), config.dataKeyArn())));
  }

  /** A synthetic event (no patient data) whose signature no tenant's secret made. */
  static final String PRIMING_BODY = JsonSchemaEventValidator.PRIMING_EVENT;

  /**
   * The priming step: a synthetic request's bytes through Lambda's stream entry and the whole handler,
   * refused at the signature (401: the secret is read, nothing is claimed, queued or journaled), then the
   * accepted answer's JSON: the codec and Jackson's paths are warm after a restore.
   */
  void prime() throws IOException {
    LambdaJson.invoke(this, LambdaJson.bytes(HttpApiRequest.of("POST", "/v1/webhooks", Map.of(
        "content-type", "application/json",
        WebhookSignature.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT), Long.toString(java.time.Instant.now().getEpochSecond()),
        WebhookSignature.SIGNATURE_HEADER.toLowerCase(Locale.ROOT), "v1=" + "0".repeat(64)), PRIMING_BODY)
        .withRequestId("prime")), null);
    LambdaJson.write(respond(new IntakeResult.Accepted("prime", "appointment.cancelled", false, "prime", "prime"),
        "prime"), new ByteArrayOutputStream());
  }

  /**
   * The priming step through the write path: a synthetic event signed with a synthetic tenant's secret,
   * accepted by the same use case on the same adapters over {@link Priming#unsent} clients (claimed,
   * queued, completed, journaled: each request built and signed, none sent), and its answer's JSON.
   */
  static void primeAccept(IntakeConfig config, JournalSettings journal, DynamoDb dynamo, SqsClient sqs) {
    String secret = "prime-secret";
    DynamoDb unsentDynamo = Priming.unsent(dynamo);
    AcceptWebhook unsent = new AcceptWebhook(new JsonSchemaEventValidator(),
        new DynamoDbIdempotencyStore(unsentDynamo, config.idempotencyTable(), config.settings().claimLease(),
            config.retention()),
        new SqsEventQueue(Priming.unsent(sqs), config.queueUrl()),
        () -> io.telebridge.core.webhook.TenantSecrets.of("prime", io.telebridge.core.webhook.SigningSecrets.of(secret)),
        Clock.systemUTC(), config.settings());
    byte[] body = PRIMING_BODY.getBytes(StandardCharsets.UTF_8);
    long ts = java.time.Instant.now().getEpochSecond();
    IntakeResult result = unsent.accept(new WebhookRequest("application/json", Long.toString(ts),
        WebhookSignature.sign(secret, ts, body), body));
    // the journal's table writer alone: its guarded wrapper would count a WebhooksAccepted metric for "prime"
    io.telebridge.aws.DynamoDbJournal.of(unsentDynamo, journal.table(), journal.retention())
        .record(JournalSteps.intake(result, java.time.Instant.now()));
    LambdaJson.write(respond(result, "prime"), new ByteArrayOutputStream());
  }

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.http(input, output, context, this::handle);
  }

  /** One request: verified, validated, deduplicated, queued; answered 202 or problem+json. */
  public HttpApiResponse handle(HttpApiRequest event, Context context) {
    try {
      Map<String, String> headers = lowerCase(event.headers());
      byte[] body = body(event);
      WebhookRequest request = new WebhookRequest(
          headers.get("content-type"),
          headers.get(WebhookSignature.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT)),
          headers.get(WebhookSignature.SIGNATURE_HEADER.toLowerCase(Locale.ROOT)),
          body);
      IntakeResult result = acceptWebhook.accept(request);
      journal.record(JournalSteps.intake(result, java.time.Instant.now())); // after the commit point; never fails the request
      return respond(result, requestId(event));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "intake failed unexpectedly requestId={0}: {1}",
          context == null ? "-" : context.getAwsRequestId(), e.getClass().getName());
      return problem(new Problem(URI.create("urn:telebridge:problem:internal"), "Internal Server Error", 500,
          "unexpected error; retry later", List.of(), Duration.ofSeconds(5)), requestId(event));
    }
  }

  private static String requestId(HttpApiRequest event) {
    return event == null ? null : event.requestId();
  }

  static HttpApiResponse respond(IntakeResult result, String requestId) {
    return switch (result) {
      case IntakeResult.Accepted accepted -> {
        ObjectNode body = JSON.createObjectNode()
            .put("eventId", accepted.eventId())
            .put("status", "accepted")
            .put("replay", accepted.replay());
        yield HttpApiResponse.of(202, Map.of("Content-Type", "application/json"), JSON.writeValueAsString(body));
      }
      case IntakeResult.Refused refused -> problem(refused.problem(), requestId);
    };
  }

  /** The one problem+json writer; a 401 also names the signature scheme the platform must use. */
  static HttpApiResponse problem(Problem problem, String requestId) {
    HttpApiResponse response = ProblemJson.response(problem, requestId);
    if (problem.status() == 401) {
      response.headers().put("WWW-Authenticate", "TelebridgeSignature realm=\"telebridge\"");
    }
    return response;
  }

  private static byte[] body(HttpApiRequest event) {
    String body = event.body();
    if (body == null) {
      return new byte[0];
    }
    return event.isBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> lowerCase(Map<String, String> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    }
    return out;
  }
}
