package io.telebridge.context;

import io.telebridge.aws.Priming;

import com.nimbusds.jose.jwk.JWK;
import io.telebridge.aws.AwsClients;
import io.telebridge.aws.ContextScheduleSettings;
import io.telebridge.aws.DynamoDbAppointmentStates;
import io.telebridge.aws.DynamoDbContextCache;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.aws.EventBridgeContextSchedules;
import io.telebridge.aws.SecretsManagerSigningSecrets;
import io.telebridge.aws.SqsContextDeadLetters;
import io.telebridge.aws.SqsPlatformQueue;
import io.telebridge.core.context.AssembleContext;
import io.telebridge.core.context.ChartReader;
import io.telebridge.core.context.ContextCache;
import io.telebridge.core.context.ContextOutbox;
import io.telebridge.core.context.ContextSchedules;
import io.telebridge.core.context.ContextSources;
import io.telebridge.core.context.FhirProfile;
import io.telebridge.core.context.MrnDirectory;
import io.telebridge.core.context.PullContext;
import io.telebridge.core.webhook.TenantSecrets;
import io.telebridge.fhir.FhirChartReader;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.HealthLakeSigV4Auth;
import io.telebridge.fhir.SmartBackendAuth;
import io.telebridge.json.ContextEventWriter;
import io.telebridge.matching.mpi.IdentityMrnDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What both context handlers use, built once per container: the pull (identity index → the FHIR
 * reader → the to-platform queue, the cache, the DLQ), the tenants' webhook secrets (on-demand requests
 * are signed as webhooks are) and the schedules an on-demand request the EHR is too slow for is handed to.
 */
record ContextWiring(PullContext pull, ContextCache cache, ContextEventWriter writer,
    Supplier<TenantSecrets> secrets, ContextSchedules schedules, Clock clock, Duration onDemandWait,
    Priming.Builder priming) {

  /**
   * A synthetic batch response (no patient data) the FHIR priming step parses: the resource types a pull
   * reads, so HAPI's model and parser classes are loaded before the snapshot. No server is called.
   */
  static final String PRIMING_BUNDLE = """
      {"resourceType":"Bundle","type":"batch-response","entry":[
       {"resource":{"resourceType":"Bundle","type":"searchset","total":1,"entry":[
         {"resource":{"resourceType":"Patient","id":"prime","identifier":[{"system":"urn:prime","value":"0"}]}}]},
        "response":{"status":"200 OK"}},
       {"resource":{"resourceType":"Bundle","type":"searchset","entry":[
         {"resource":{"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://snomed.info/sct","code":"0"}]}}},
         {"resource":{"resourceType":"AllergyIntolerance","id":"a","code":{"text":"prime"}}},
         {"resource":{"resourceType":"MedicationRequest","id":"m","status":"active","intent":"order",
           "medicationCodeableConcept":{"text":"prime"}}},
         {"resource":{"resourceType":"Observation","id":"o","status":"final","code":{"text":"prime"},
           "valueQuantity":{"value":1,"unit":"mg"}}}]},
        "response":{"status":"200 OK"}}]}""";

  /** Without priming steps (tests). */
  ContextWiring(PullContext pull, ContextCache cache, ContextEventWriter writer, Supplier<TenantSecrets> secrets,
      ContextSchedules schedules, Clock clock, Duration onDemandWait) {
    this(pull, cache, writer, secrets, schedules, clock, onDemandWait, Priming.of("context"));
  }

  static ContextWiring of(ContextConfig config) {
    AwsClients clients = AwsClients.shared(config.aws());
    Clock clock = Clock.systemUTC();
    DynamoDbClient dynamo = clients.dynamoDb();
    var sqs = clients.sqs();
    ContextEventWriter writer = new ContextEventWriter();
    DynamoDbIdentityStore identities = new DynamoDbIdentityStore(dynamo, config.identityTable());
    MrnDirectory mrns = (tenant, patient) -> new IdentityMrnDirectory(identities,
        config.mrnAuthority() == null ? Map.of() : Map.of(tenant, config.mrnAuthority())).mrnOf(tenant, patient);
    ContextSources sources = sources(config, clock);
    SqsPlatformQueue queue = new SqsPlatformQueue(sqs, config.toPlatformQueueUrl());
    ContextOutbox outbox = outcome -> queue.send(outcome.groupId(), outcome.eventId(), outcome.eventType(),
        outcome.request().tenant(), writer.write(outcome));
    ContextCache cache = config.cacheTable() == null ? ContextCache.NONE
        : new DynamoDbContextCache(dynamo, config.cacheTable(), config.cacheMaxAge(), writer::writeContext);
    PullContext pull = new PullContext(new AssembleContext(mrns, sources, clock),
        config.appointmentsTable() == null ? null : new DynamoDbAppointmentStates(dynamo, config.appointmentsTable()),
        outbox, cache, new SqsContextDeadLetters(sqs, config.dlqUrl()), clock,
        config.switches().gate(dynamo, config.journal().journal(dynamo, "context"), clock), writer::write);
    Supplier<TenantSecrets> secrets = null;
    SecretsManagerClient secretsManager = null;
    if (config.webhookSecretArn() != null || "smart".equals(config.fhirAuth())) {
      secretsManager = clients.secretsManager();
    }
    if (config.webhookSecretArn() != null) {
      secrets = SecretsManagerSigningSecrets.perTenant(secretsManager, config.webhookSecretArn(), clock,
          Duration.ofMinutes(5));
    }
    ContextScheduleSettings s = config.schedules();
    ContextSchedules schedules = s == null ? ContextSchedules.NONE
        : new EventBridgeContextSchedules(clients.scheduler(), s.target());
    // SnapStart priming (the Lambda entries register it, each adding its own request): reads only
    Priming.Builder priming = Priming.of("context")
        .step("fhir parsing", () -> {
          if (config.fhirBaseUrl() != null) {
            var fhir = FhirContexts.r4();
            fhir.newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, PRIMING_BUNDLE);
            fhir.newRestfulGenericClient(config.fhirBaseUrl()); // a client object; nothing is called
          }
        })
        .step("unsent lookup and send", () -> {
          // the MRN lookup and the outbox over clients that send nothing (the FHIR read is not primed: an EHR call)
          new IdentityMrnDirectory(new DynamoDbIdentityStore(Priming.unsent(dynamo), config.identityTable()), Map.of())
              .mrnOf("prime", "prime");
          new SqsPlatformQueue(Priming.unsent(sqs), config.toPlatformQueueUrl()).send("prime", "prime",
              "patient.context.unavailable", "prime", "{}");
        })
        .step("identity table", Priming.tableRead(dynamo, config.identityTable()))
        .step("to-platform queue", Priming.queueRead(sqs, config.toPlatformQueueUrl()));
    return new ContextWiring(pull, cache, writer, secrets, schedules, clock, config.onDemandWait(), priming);
  }

  /** One FHIR source for every tenant of the deployment (FHIR_BASE_URL), or none. */
  static ContextSources sources(ContextConfig config, Clock clock) {
    if (config.fhirBaseUrl() == null) {
      return tenant -> Optional.empty();
    }
    Map<String, String> authorities = config.mrnAuthority() == null ? Map.of()
        : Map.of(config.mrnSystem(), config.mrnAuthority());
    String source = "healthlake".equals(config.fhirAuth()) ? "healthlake" : "ehr-fhir";
    ChartReader reader = new FhirChartReader(FhirContexts.r4(),
        FhirChartReader.Settings.defaults(source, config.fhirBaseUrl(), authorities), auth(config, clock));
    FhirProfile profile = FhirProfile.withDefaults(config.mrnSystem());
    ContextSources.Source one = new ContextSources.Source(profile, reader);
    return tenant -> Optional.of(one);
  }

  private static ca.uhn.fhir.rest.client.api.IClientInterceptor auth(ContextConfig config, Clock clock) {
    return switch (config.fhirAuth()) {
      case "healthlake" -> new HealthLakeSigV4Auth(config.aws().staticCredentials()
          .<software.amazon.awssdk.auth.credentials.AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
              c[2] == null || c[2].isBlank() ? AwsBasicCredentials.create(c[0], c[1])
                  : AwsSessionCredentials.create(c[0], c[1], c[2])))
          .orElseGet(() -> DefaultCredentialsProvider.builder().build()), config.aws().region(), clock);
      case "smart" -> {
        if (config.smartClientId() == null || config.smartTokenUrl() == null || config.smartKeySecretArn() == null) {
          throw new IllegalStateException("FHIR_AUTH=smart needs FHIR_SMART_CLIENT_ID, FHIR_SMART_TOKEN_URL and "
              + "FHIR_SMART_KEY_SECRET_ARN");
        }
        String jwk = AwsClients.shared(config.aws()).secretsManager()
            .getSecretValue(b -> b.secretId(config.smartKeySecretArn())).secretString();
        JWK key;
        try {
          key = JWK.parse(jwk);
        } catch (ParseException e) {
          throw new IllegalStateException("FHIR_SMART_KEY_SECRET_ARN does not hold a private JWK");
        }
        yield new SmartBackendAuth(new SmartBackendAuth.Settings(config.smartClientId(),
            URI.create(config.smartTokenUrl()), config.smartScopes() == null ? SmartBackendAuth.SCOPES_V2
                : config.smartScopes(), Duration.ofSeconds(60)), key, HttpClient.newHttpClient(), clock);
      }
      default -> null;
    };
  }
}
