package io.telebridge.context;

import io.telebridge.aws.AwsClients;
import io.telebridge.aws.ContextScheduleSettings;
import io.telebridge.aws.DynamoDbAppointmentStates;
import io.telebridge.aws.DynamoDbContextCache;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.aws.EventBridgeContextSchedules;
import io.telebridge.aws.Priming;
import io.telebridge.aws.SecretsManagerSigningSecrets;
import io.telebridge.aws.SqsContextDeadLetters;
import io.telebridge.aws.SqsPlatformQueue;
import io.telebridge.core.context.AssembleContext;
import io.telebridge.core.context.ContextCache;
import io.telebridge.core.context.ContextOutbox;
import io.telebridge.core.context.ContextSchedules;
import io.telebridge.core.context.ContextSources;
import io.telebridge.core.context.FhirProfile;
import io.telebridge.core.context.FhirSource;
import io.telebridge.core.context.MrnDirectory;
import io.telebridge.core.context.PullContext;
import io.telebridge.core.webhook.TenantSecrets;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.FhirSources;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.hl7v2.TenantDirectory;
import io.telebridge.json.ContextEventWriter;
import io.telebridge.matching.mpi.IdentityMrnDirectory;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import io.telebridge.aws.dynamodb.DynamoDb;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What both context handlers use, built once per container: the pull (identity index → the tenant's FHIR
 * source, by its EHR profile → the to-platform queue, the cache, the DLQ), the tenants' webhook secrets (on-demand requests
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
    DynamoDb dynamo = clients.dynamoDb();
    var sqs = clients.sqs();
    ContextEventWriter writer = new ContextEventWriter();
    DynamoDbIdentityStore identities = new DynamoDbIdentityStore(dynamo, config.identityTable());
    TenantFhirSources sources = sources(config, fhirSources(clients, config, clock));
    MrnDirectory mrns = (tenant, patient) -> {
      String authority = sources.mrnAuthority(tenant);
      return new IdentityMrnDirectory(identities, authority == null ? Map.of() : Map.of(tenant, authority))
          .mrnOf(tenant, patient);
    };
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
    if (config.webhookSecretArn() != null) {
      secretsManager = clients.secretsManager();
    }
    if (config.webhookSecretArn() != null) {
      secrets = SecretsManagerSigningSecrets.perTenant(secretsManager, config.webhookSecretArn(), clock,
          Duration.ofMinutes(5));
    }
    ContextScheduleSettings s = config.schedules();
    ContextSchedules schedules = s == null ? ContextSchedules.NONE
        : new EventBridgeContextSchedules(clients::scheduler, s.target()); // built on the first hand-over only
    // SnapStart priming (the Lambda entries register it, each adding its own request): reads only
    Priming.Builder priming = Priming.of("context")
        .step("fhir parsing", () -> FhirContexts.r4().newJsonParser()
            .parseResource(org.hl7.fhir.r4.model.Bundle.class, PRIMING_BUNDLE))
        .step("unsent lookup and send", () -> {
          // the MRN lookup and the outbox over clients that send nothing (the FHIR read is not primed: an EHR call)
          new IdentityMrnDirectory(new DynamoDbIdentityStore(Priming.unsent(dynamo), config.identityTable()), Map.of())
              .mrnOf("prime", "prime");
          new SqsPlatformQueue(Priming.unsent(sqs), config.toPlatformQueueUrl()).send("prime", "prime",
              "patient.context.unavailable", "prime", "{}");
        })
        .step("identity table", Priming.tableRead(dynamo, config.identityTable()))
        .step("to-platform queue", Priming.queueRead(sqs, config.toPlatformQueueUrl()));
    if (s != null) { // the scheduler client is built lazily without SnapStart; in the snapshot it is ready
      priming.step("scheduler client", clients::scheduler);
    }
    return new ContextWiring(pull, cache, writer, secrets, schedules, clock, config.onDemandWait(), priming);
  }

  /**
   * Each tenant's FHIR source: its EHR profile's {@code fhir.source}, else the deployment's default
   * (FHIR_BASE_URL, …), through the one factory ({@link FhirSources}) the visit writes use too. With TENANTS,
   * a tenant it does not list has none (no_fhir_source); without, every tenant is on EHR_PROFILE. Built at cold
   * start (a SMART key is read then), so a misconfigured source fails the init, not a pull.
   */
  static TenantFhirSources sources(ContextConfig config, FhirSources factory) {
    Map<String, FhirSource> byTenant = new LinkedHashMap<>();
    FhirSource all = null;
    if (config.tenants().isBlank()) {
      all = EhrProfile.fromSetting(config.ehrProfile()).fhirSource(config.defaultSource());
    } else {
      for (TenantDirectory.Tenant t : TenantDirectory.parse(config.tenants(), null, config.ehrProfile()).all()) {
        FhirSource s = t.profile().fhirSource(config.defaultSource());
        if (s != null) {
          byTenant.put(t.id(), s);
        }
      }
    }
    return new TenantFhirSources(byTenant, all, factory);
  }

  /** Tenant → its FHIR source and the reader on it (readers kept per source by the factory). */
  record TenantFhirSources(Map<String, FhirSource> byTenant, FhirSource all, FhirSources factory)
      implements ContextSources {

    TenantFhirSources {
      byTenant = Map.copyOf(byTenant);
      byTenant.values().forEach(factory::reader);
      if (all != null) {
        factory.reader(all);
      }
    }

    FhirSource of(String tenant) {
      return all != null ? all : byTenant.get(tenant);
    }

    @Override
    public Optional<Source> forTenant(String tenant) {
      FhirSource s = of(tenant);
      return s == null ? Optional.empty()
          : Optional.of(new Source(FhirProfile.withDefaults(s.mrnSystem()), factory.reader(s)));
    }

    /** The assigning authority of the tenant's MRNs in the identity index, or null (its first MRN). */
    String mrnAuthority(String tenant) {
      FhirSource s = of(tenant);
      return s == null ? null : s.mrnAuthority();
    }
  }

  /** The one FHIR factory of this container: SigV4 with its credentials, SMART keys from Secrets Manager. */
  static FhirSources fhirSources(AwsClients clients, ContextConfig config, Clock clock) {
    return new FhirSources(clients.credentials(), config.aws().region(),
        arn -> clients.secretsManager().getSecretValue(b -> b.secretId(arn)).secretString(),
        HttpClient.newHttpClient(), clock);
  }
}
