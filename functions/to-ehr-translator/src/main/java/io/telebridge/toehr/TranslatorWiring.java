package io.telebridge.toehr;

import io.telebridge.aws.Priming;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Identifier;

import io.telebridge.aws.AwsClients;
import io.telebridge.aws.DynamoDbAppointmentStates;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.aws.EventBridgeContextSchedules;
import io.telebridge.core.context.ScheduleContextPull;
import io.telebridge.aws.DynamoDbJournal;
import io.telebridge.aws.FlowSwitchSettings;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.aws.SqsDeadLetters;
import io.telebridge.aws.SqsFifoBatch;
import io.telebridge.aws.S3PayloadStore;
import io.telebridge.aws.SqsEhrOutbox;
import io.telebridge.core.claimcheck.ClaimCheckException;
import io.telebridge.core.claimcheck.ClaimCheckedOutbox;
import io.telebridge.core.claimcheck.ClaimChecks;
import io.telebridge.core.toehr.EhrOutbox;
import io.telebridge.core.toehr.VisitRecordWrites;
import io.telebridge.core.context.ChartWriter;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.context.FhirSource;
import io.telebridge.fhir.FhirSources;
import io.telebridge.fhir.R4VisitBundles;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.fromehr.ConflictPolicy;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.identity.PatientResolver;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.EhrMessageFactory;
import io.telebridge.hl7v2.TenantDirectory;
import io.telebridge.core.toehr.TranslateToEhr;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import io.telebridge.matching.mpi.ParkedEvent;
import io.telebridge.matching.mpi.ReviewCases;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import io.telebridge.aws.dynamodb.DynamoDb;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the to-EHR translator and the review API share, built once per container: one SQS and one
 * DynamoDB client, the EHR profile's message factory, the matcher on the identity table, the to-EHR
 * outbox, the intake DLQ, and the review use case whose replay is the translator's own flow
 * ({@code TranslateToEhr.translate(event, rawJson, caseId)}), so a resolved case's events leave
 * exactly as they would have without the review.
 */
record TranslatorWiring(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter, ReviewCases reviews,
    TranslatorSteps steps, UnaryOperator<String> redeem, Priming.Builder priming) {

  /**
   * A synthetic booking (no patient data) for the priming steps: read, resolved to a made-up new patient, built
   * into ADT^A04 + SIU^S12 by {@code profile}. Its provider and visit type are ones the profile maps (a profile
   * refuses an unmapped provider or visit type, and a refused priming step leaves its path cold).
   */
  static String primingBooking(io.telebridge.hl7v2.EhrProfile profile) {
    java.util.function.Predicate<String> plain = k -> k.matches("[A-Za-z0-9._:-]+"); // spliced into JSON as is
    String provider = profile.providers().ids().keySet().stream().filter(plain).sorted().findFirst().orElse("prime");
    String visitType = profile.visitTypes().containsKey("follow_up") ? "follow_up"
        : profile.visitTypes().keySet().stream().filter(plain).sorted().findFirst().orElse("follow_up");
    return PRIMING_BOOKING.replace("\"provider\":{\"id\":\"prime\"", "\"provider\":{\"id\":\"" + provider + "\"")
        .replace("\"visitType\":\"follow_up\"", "\"visitType\":\"" + visitType + "\"");
  }

  /** The priming booking's shape; {@link #primingBooking} names a provider and a visit type the profile maps. */
  private static final String PRIMING_BOOKING = """
      {"id":"prime-0","type":"appointment.booked","occurredAt":"2026-01-01T00:00:00Z",
       "source":{"tenant":"prime","system":"prime"},
       "patient":{"id":"prime","name":{"given":["Prime"],"family":"Prime"},"birthDate":"2000-01-01","sex":"unknown"},
       "data":{"appointment":{"id":"prime","start":"2026-01-01T10:00:00-05:00","end":"2026-01-01T10:20:00-05:00",
         "timeZone":"America/New_York","provider":{"id":"prime","npi":"1234567893"},"visitType":"follow_up",
         "status":"booked","modality":"video"}}}""";

  private static final Logger LOG = Logger.getLogger(TranslatorWiring.class.getName());

  /**
   * The API handlers' priming request, as Lambda hands it to their stream entry: no IAM identity, so it is refused (403) before any use case runs,
   * through the handler's routing and problem+json writing.
   */
  static byte[] primingRequest(String method, String path) {
    return io.telebridge.aws.lambda.LambdaJson.bytes(io.telebridge.aws.lambda.HttpApiRequest.of(method, path,
        Map.of("content-type", "application/json"), null).withRequestId("prime"));
  }

  static TranslatorWiring of(TranslatorConfig config) {
    return of(config, new JournalSettings(null, DynamoDbJournal.DEFAULT_RETENTION, null));
  }

  static TranslatorWiring of(TranslatorConfig config, JournalSettings journal) {
    return of(config, journal, FlowSwitchSettings.none());
  }

  /**
   * @param switches the flow switches (FLOW_SWITCHES_TABLE, SHADOW_TABLE): each message's flow is asked
   *     before it is queued (off or shadow: held back, journaled, in shadow kept); without a table all on
   */
  static TranslatorWiring of(TranslatorConfig config, JournalSettings journal, FlowSwitchSettings switches) {
    AwsClients clients = AwsClients.shared(config.aws());
    SqsClient sqs = clients.sqs();
    Clock clock = Clock.systemUTC();
    // PAYLOAD_BUCKET: claim checks both ways — a large note's event is redeemed from S3 (verified), and an
    // HL7 message too large for the to-EHR queue is stored there for the bridge; without it, neither
    ClaimChecks claimChecks = config.payloadBucket() == null ? null
        : new ClaimChecks(new S3PayloadStore(S3PayloadStore.client(config.aws()), config.payloadBucket(), config.dataKeyArn()));
    Hl7MessageFactory deployment = claimChecked(Hl7MessageFactory.load(config.ehrProfile(), config.environment(), clock),
        claimChecks);
    // TENANTS: each tenant's events are built with its own EHR profile (its PID-3 platform authority);
    // without it, every tenant shares the deployment's EHR_PROFILE
    Map<String, Hl7MessageFactory> factories = new LinkedHashMap<>();
    if (!config.tenants().isBlank()) {
      TenantDirectory tenants = TenantDirectory.parse(config.tenants(), null, config.ehrProfile());
      for (TenantDirectory.Tenant t : tenants.all()) {
        factories.put(t.id(), claimChecked(new Hl7MessageFactory(t.profile(), config.environment(), clock), claimChecks));
      }
    }
    Map<String, String> authorities = new LinkedHashMap<>();
    factories.forEach((tenant, f) -> authorities.put(tenant, f.platformAuthority()));
    EhrMessageFactory messages = (event, patient) -> factoryOf(factories, deployment, event.tenant())
        .messagesFor(event, patient);
    DynamoDb dynamo = clients.dynamoDb();
    DynamoDbIdentityStore identities = new DynamoDbIdentityStore(dynamo, config.identityTable());
    MatchingPatientResolver resolver = new MatchingPatientResolver(identities, identities.candidateIndex(),
        deployment.platformAuthority(), authorities, clock);
    PatientResolver tenantChecked = request -> {
      factoryOf(factories, deployment, request.tenant()); // an unknown tenant is refused before anything is written
      return resolver.resolve(request);
    };
    // with APPOINTMENTS_TABLE: what is pushed for an appointment is recorded (source PLATFORM) for the
    // return path's conflict rule, so the EHR's echo of it is not looped back to the platform
    ReconcileAppointment appointments = config.appointmentsTable() == null ? null
        : new ReconcileAppointment(new DynamoDbAppointmentStates(dynamo, config.appointmentsTable()), ConflictPolicy.ehrWins());
    EhrOutbox outbox = new SqsEhrOutbox(sqs, config.toEhrQueueUrl());
    if (claimChecks != null) {
      outbox = new ClaimCheckedOutbox(outbox, claimChecks, Hl7MessageFactory.MAX_INLINE_BYTES);
    }
    UnaryOperator<String> redeem = claimChecks == null ? TranslatorWiring::refuseClaimCheck : claimChecks::redeem;
    io.telebridge.core.journal.GuardedJournal steps0 = journal.journal(dynamo, "to-ehr-translator");
    FlowGate gate = switches.gate(dynamo, steps0, clock);
    // with CONTEXT_SCHEDULE_GROUP: each booking gets its pre-visit context pull (one schedule per tenant and
    // appointment), moved by a reschedule and deleted by a cancellation or no-show
    ScheduleContextPull contextPulls = config.contextSchedules() == null ? null
        : new ScheduleContextPull(new EventBridgeContextSchedules(clients.scheduler(), config.contextSchedules().target()),
            config.contextSchedules()::leadOf, clock);
    VisitRecordWrites records = visitRecords(config, clients, factories, deployment);
    TranslateToEhr translate = new TranslateToEhr(tenantChecked, messages, outbox, appointments, gate, contextPulls,
        records);
    SqsDeadLetters dlq = new SqsDeadLetters(sqs, config.intakeDlqUrl());
    SqsFifoBatch.DeadLetter deadLetter = SqsFifoBatch.deadLetterTo(dlq, "to-ehr-translator",
        List.of("eventId", "eventType", "tenant"));
    PlatformEventReader reader = new PlatformEventReader();
    TranslatorSteps steps = new TranslatorSteps(steps0, journal.archive(dynamo, clock), clock, gate);
    ReviewCases reviews = new ReviewCases(identities, resolver, json -> reader.read(redeem.apply(json)).patient(),
        replay(reader, translate, dlq::send, steps, redeem), clock);
    // SnapStart priming (the Lambda entries register it): the matcher and the use case over unsent clients, then
    // reads on the live clients
    Priming.Builder priming = Priming.of("to-ehr-translator")
        .step("unsent resolve", () -> {
          // the matcher on the identity table, over a client that sends nothing: it finds no candidate and
          // registers a new person (the transaction built and signed); reading that person back finds nothing
          // (nothing was written), which ends the step as a TransientException once the path has run
          DynamoDbIdentityStore unsentIds = new DynamoDbIdentityStore(Priming.unsent(dynamo), config.identityTable());
          String booking = primingBooking(deployment.profile());
          PlatformEvent event = reader.read(booking);
          try {
            new MatchingPatientResolver(unsentIds, unsentIds.candidateIndex(), deployment.platformAuthority(),
                authorities, clock).resolve(new ResolveRequest(event.tenant(), event.patient(), event.eventId(), booking, null));
          } catch (io.telebridge.core.error.TransientException unsentWriteNotReadBack) {
            // expected: see above
          }
        })
        .step("unsent translate", () -> {
          // the use case as wired, over clients that send nothing: the outbox (SendMessage), the appointment
          // states and the flow switches (DynamoDB) and the context pull's schedule (Scheduler); then its journal
          // entry and replay archive (the table writer alone: the guarded journal would count a metric for "prime")
          var unsentDynamo = Priming.unsent(dynamo);
          String booking = primingBooking(deployment.profile());
          PlatformEvent event = reader.read(booking);
          Resolution prime = new Resolution(List.of(new Identifier("prime", deployment.platformAuthority(), "PI")),
              true, null);
          FlowGate unsentGate = switches.gate(unsentDynamo, io.telebridge.core.journal.Journal.NONE, clock);
          TranslateToEhr.Outcome outcome = new TranslateToEhr(request -> prime, deployment::messagesFor,
              new SqsEhrOutbox(Priming.unsent(sqs), config.toEhrQueueUrl()),
              config.appointmentsTable() == null ? null : new ReconcileAppointment(
                  new DynamoDbAppointmentStates(unsentDynamo, config.appointmentsTable()), ConflictPolicy.ehrWins()),
              unsentGate,
              config.contextSchedules() == null ? null : new ScheduleContextPull(new EventBridgeContextSchedules(
                  EventBridgeContextSchedules.unsent(clients.scheduler()), config.contextSchedules().target()),
                  config.contextSchedules()::leadOf, clock),
              VisitRecordWrites.NONE).handle(event, booking, null);
          new TranslatorSteps(DynamoDbJournal.of(unsentDynamo, journal.table(), journal.retention()),
              journal.archive(unsentDynamo, clock), clock, unsentGate)
              .translated(io.telebridge.aws.lambda.SqsMessage.of("prime", booking,
                  Map.of("ApproximateReceiveCount", "1", "MessageGroupId", "prime")), event, outcome);
        })
        .step("identity table", Priming.tableRead(dynamo, config.identityTable()))
        .step("to-EHR queue", Priming.queueRead(sqs, config.toEhrQueueUrl()));
    return new TranslatorWiring(translate, deadLetter, reviews, steps, redeem, priming);
  }

  /**
   * The visit events of tenants whose EHR profile records them over FHIR R4 ({@code fhir.visitRecord} fhir or
   * both): one {@link io.telebridge.fhir.FhirChartWriter} per such profile on the profile's FHIR source
   * ({@code fhir.source}, else the deployment's default FHIR_BASE_URL …), built by the one FHIR factory
   * ({@link FhirSources}: SigV4 for HealthLake, SMART Backend Services with write scopes, or none). None of
   * them: nothing is written. Refused at cold start when a profile says FHIR and has no source.
   */
  static VisitRecordWrites visitRecords(TranslatorConfig config, AwsClients clients,
      Map<String, Hl7MessageFactory> factories, Hl7MessageFactory deployment) {
    List<Hl7MessageFactory> all = new java.util.ArrayList<>(factories.values());
    all.add(deployment);
    if (all.stream().noneMatch(f -> f.profile().fhir().writesFhir())) {
      return VisitRecordWrites.NONE;
    }
    FhirSources fhir = new FhirSources(clients.credentials(), config.aws().region(),
        arn -> clients.secretsManager().getSecretValue(b -> b.secretId(arn)).secretString(),
        java.net.http.HttpClient.newHttpClient(), Clock.systemUTC());
    return visitRecords(config.fhirSource(), fhir, factories, deployment);
  }

  /** As above, on a given factory (tests pass one with their own credentials and secrets). */
  static VisitRecordWrites visitRecords(FhirSource deploymentDefault, FhirSources fhir,
      Map<String, Hl7MessageFactory> factories, Hl7MessageFactory deployment) {
    Map<String, ChartWriter> writers = new LinkedHashMap<>();
    List<Hl7MessageFactory> all = new java.util.ArrayList<>(factories.values());
    all.add(deployment);
    for (Hl7MessageFactory f : all) {
      EhrProfile profile = f.profile();
      if (!profile.fhir().writesFhir() || writers.containsKey(profile.id())) {
        continue;
      }
      FhirSource source = profile.fhirSource(deploymentDefault);
      if (source == null) {
        throw new IllegalStateException("to-EHR translator misconfigured: EHR profile " + profile.id()
            + " records the visit over FHIR (fhir.visitRecord) but names no fhir.source and FHIR_BASE_URL is not set");
      }
      writers.put(profile.id(), fhir.writer(source, profile.visitRecordProfile()));
    }
    if (writers.isEmpty()) {
      return VisitRecordWrites.NONE;
    }
    return (event, patient) -> {
      if (!R4VisitBundles.supports(event.type())) {
        return null;
      }
      ChartWriter writer = writers.get(factoryOf(factories, deployment, event.tenant()).profile().id());
      return writer == null ? null : writer.write(VisitRecord.of(event, patient.identifiers()));
    };
  }

  private static Hl7MessageFactory claimChecked(Hl7MessageFactory factory, ClaimChecks claimChecks) {
    return claimChecks == null ? factory : factory.withClaimCheck();
  }

  /** Without PAYLOAD_BUCKET: a claim check cannot be redeemed (to the DLQ with the reason); any other body is itself. */
  static String refuseClaimCheck(String body) {
    if (ClaimChecks.isClaimCheck(body)) {
      throw new ClaimCheckException("a claim check arrived but this function has no PAYLOAD_BUCKET");
    }
    return body;
  }

  /** The tenant's message factory; with TENANTS, a tenant it does not list is refused (to the DLQ). */
  static Hl7MessageFactory factoryOf(Map<String, Hl7MessageFactory> factories, Hl7MessageFactory deployment,
      String tenant) {
    if (factories.isEmpty()) {
      return deployment;
    }
    Hl7MessageFactory f = factories.get(tenant);
    if (f == null) {
      throw new RejectedException("tenant " + tenant + " has no EHR in TENANTS");
    }
    return f;
  }

  /**
   * The review's replay port: a parked event goes through the translator's flow as a replay of its
   * case. One that can never translate (it was valid when parked, so only after a profile or code
   * change) goes to the intake DLQ with its reason, like a live one, and the replay goes on.
   */
  static ReviewCases.Replay replay(PlatformEventReader reader, TranslateToEhr translate, DeadLetterSink dlq) {
    return replay(reader, translate, dlq, TranslatorSteps.NONE, UnaryOperator.identity());
  }

  /**
   * As above; each replayed event's translation journaled as the live flow's (the trace leaves "review").
   *
   * @param redeem a parked body (the event, or its claim check) as the event
   */
  static ReviewCases.Replay replay(PlatformEventReader reader, TranslateToEhr translate, DeadLetterSink dlq,
      TranslatorSteps steps, UnaryOperator<String> redeem) {
    return (ParkedEvent parked, String caseId) -> {
      PlatformEvent event = null;
      try {
        event = reader.read(redeem.apply(parked.body()));
        steps.resumed(event, translate.handle(event, parked.body(), caseId));
      } catch (RejectedException bad) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("eventId", parked.eventId());
        if (event != null) {
          attributes.put("eventType", event.type().wireName());
          attributes.put("tenant", event.tenant());
        }
        attributes.put("failedStage", "review-replay");
        attributes.put("reviewCase", caseId);
        attributes.put("reason", bad.getMessage());
        attributes.put("errorClass", bad.getClass().getSimpleName());
        String group = event == null || event.patient() == null ? "unknown" : event.patient().platformPatientId();
        dlq.send(group, "replay-" + sha256(caseId + "|" + parked.seq() + "|" + parked.eventId()), parked.body(),
            attributes);
        LOG.warning(() -> "review case=" + caseId + " dead-lettered parked eventId=" + parked.eventId() + ": "
            + bad.getMessage());
      }
    };
  }

  /** Where a replayed event that can never translate goes (the intake DLQ). */
  interface DeadLetterSink {
    void send(String groupId, String deduplicationId, String body, Map<String, String> attributes);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
