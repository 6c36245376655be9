package io.telebridge.fromehr;

import io.telebridge.aws.Priming;

import io.telebridge.core.config.ProcessEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.telebridge.aws.lambda.LambdaJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.aws.AwsClients;
import io.telebridge.aws.DynamoDbAppointmentStates;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.aws.SqsDeadLetters;
import io.telebridge.aws.SqsFifoBatch;
import io.telebridge.aws.SqsPlatformQueue;
import io.telebridge.aws.FlowSwitchSettings;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.JournalSteps;
import io.telebridge.core.journal.Stage;
import java.time.Instant;
import io.telebridge.core.fromehr.FromEhrMessage;
import io.telebridge.core.fromehr.PlatformOutbox;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.fromehr.TranslateFromEhr;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.log.EmfMetrics;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.hl7v2.TenantDirectory;
import io.telebridge.json.OutboundEventWriter;
import io.telebridge.matching.mpi.MatcherWiring;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import io.telebridge.aws.dynamodb.DynamoDb;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * From-EHR FIFO → {@link FromEhrReader} → {@link TranslateFromEhr} → to-platform FIFO, through the
 * one FIFO batch loop ({@link SqsFifoBatch}): in order per MRN (message group); after a failure the
 * rest of that group is handed back, other groups go on. A message that can never be read or
 * translated (bad input) is moved to the from-EHR DLQ at once with the reason, so it blocks nobody.
 */
public final class FromEhrTranslatorHandler implements RequestStreamHandler {

  /** The time one record may take (an index lookup, a conditional write, one SendMessage, with SDK retries). */
  static final Duration ATTEMPT_BUDGET = Duration.ofSeconds(5);

  private final FromEhrReader reader;
  private final Function<String, Optional<Route>> routes;
  private final SqsFifoBatch batch;
  private Journal journal = Journal.NONE;
  private FlowGate gate = FlowGate.allOn();

  /** One tenant's return path: its reader (its platform authority) and its translation (its identity scope). */
  record Route(String tenant, FromEhrReader reader, TranslateFromEhr translate) {}

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private Priming priming;

  /** Lambda's entry: wiring built once per container, primed before the SnapStart snapshot. */
  public FromEhrTranslatorHandler() {
    this(wiring(ProcessEnvironment.forLambda()), true);
  }

  public FromEhrTranslatorHandler(Map<String, String> environment) {
    this(wiring(environment), false);
  }

  private static Wiring wiring(Map<String, String> environment) {
    return Wiring.of(FromEhrTranslatorConfig.fromEnvironment(environment), JournalSettings.fromEnvironment(environment),
        FlowSwitchSettings.fromEnvironment(environment));
  }

  private FromEhrTranslatorHandler(Wiring wiring, boolean snapStart) {
    this(wiring.reader(), wiring.routes(), wiring.deadLetter());
    this.journal = wiring.journal();
    this.gate = wiring.gate();
    if (snapStart) {
      this.priming = wiring.priming().step("batch loop", this::prime).register();
    }
  }

  /** The priming step through Lambda's stream entry and the batch loop: an empty batch, nothing read or sent. */
  void prime() throws IOException {
    LambdaJson.primeSqs(this);
  }

  /** With flow switches (tests): what the EHR sends for a to-EHR flow in shadow is kept for the comparison. */
  FromEhrTranslatorHandler withGate(FlowGate g) {
    this.gate = g;
    return this;
  }

  /** With a journal (tests). */
  FromEhrTranslatorHandler withJournal(Journal j) {
    this.journal = j;
    return this;
  }

  /** One tenant owning the connection: every message goes through {@code translate}. */
  FromEhrTranslatorHandler(FromEhrReader reader, TranslateFromEhr translate, SqsFifoBatch.DeadLetter deadLetter) {
    this(reader, facility -> Optional.of(new Route("", reader, translate)), deadLetter);
  }

  /**
   * @param routes the route of the tenant that owns a sending facility (MSH-4); empty: no tenant does,
   *     and the message is dead-lettered with that reason
   */
  FromEhrTranslatorHandler(FromEhrReader reader, Function<String, Optional<Route>> routes, SqsFifoBatch.DeadLetter deadLetter) {
    this.reader = reader;
    this.routes = routes;
    this.batch = new SqsFifoBatch(deadLetter, null, ATTEMPT_BUDGET,
        (message, error, deadLettered) -> journal.record(failed(message, error, deadLettered ? "from-ehr" : null)));
  }

  /**
   * Everything built once per container: one SQS and one DynamoDB client, the writer, and per tenant of
   * the directory a reader (its platform authority) and a translation (its tenant).
   */
  private record Wiring(FromEhrReader reader, Function<String, Optional<Route>> routes, SqsFifoBatch.DeadLetter deadLetter,
      Journal journal, FlowGate gate, Priming.Builder priming) {

    static Wiring of(FromEhrTranslatorConfig config, JournalSettings journal, FlowSwitchSettings switches) {
      AwsClients clients = AwsClients.shared(config.aws());
      SqsClient sqs = clients.sqs();
      DynamoDb dynamo = clients.dynamoDb();
      Clock clock = Clock.systemUTC();
      TenantDirectory tenants = TenantDirectory.parse(config.tenants(), config.tenant(), config.ehrProfile());
      OutboundEventWriter writer = new OutboundEventWriter();
      DynamoDbIdentityStore identities = new DynamoDbIdentityStore(dynamo, config.identityTable());
      EhrPatientIndex index = MatcherWiring.ehrPatientIndex(identities, identities.candidateIndex(),
          MatcherWiring.DEFAULT_PLATFORM_AUTHORITY, tenants.platformAuthorities(), clock);
      ReconcileAppointment reconcile = new ReconcileAppointment(
          new DynamoDbAppointmentStates(dynamo, config.appointmentsTable()), config.conflictPolicy());
      Journal steps = journal.journal(dynamo, "from-ehr-translator");
      FlowGate gate = switches.gate(dynamo, steps, clock);
      PlatformOutbox outbox = switched(outbox(new SqsPlatformQueue(sqs, config.toPlatformQueueUrl()), writer), writer, gate);
      EmfMetrics metrics = EmfMetrics.stdout("from-ehr-translator");
      Map<String, Route> byTenant = new LinkedHashMap<>();
      for (TenantDirectory.Tenant t : tenants.all()) {
        byTenant.put(t.id(), new Route(t.id(), new FromEhrReader(t.platformAuthority(), config.ehrTimeZone()),
            new TranslateFromEhr(t.id(), index, reconcile, outbox, metrics, clock)));
      }
      FromEhrReader reader = byTenant.values().iterator().next().reader();
      Function<String, Optional<Route>> routes = facility -> tenants.ofFacility(facility).map(t -> byTenant.get(t.id()));
      SqsDeadLetters dlq = new SqsDeadLetters(sqs, config.fromEhrDlqUrl());
      SqsFifoBatch.DeadLetter deadLetter = SqsFifoBatch.deadLetterTo(dlq, "from-ehr-translator",
          List.of("controlId", "messageType", "sendingFacility", "receivedAt"));
      // SnapStart priming (registered by the Lambda entry): the reading and writing alone, then reads on the clients
      Priming.Builder priming = Priming.of("from-ehr-translator")
          .step("reading and writing alone", () -> prime(reader, writer, clock))
          .step("unsent translation", () -> {
            // a result for an MRN nobody has, through the index and the outbox over clients that send nothing
            DynamoDbIdentityStore unsentIds = new DynamoDbIdentityStore(Priming.unsent(dynamo), config.identityTable());
            TenantDirectory.Tenant t = tenants.all().iterator().next();
            new TranslateFromEhr(t.id(), MatcherWiring.ehrPatientIndex(unsentIds, unsentIds.candidateIndex(),
                MatcherWiring.DEFAULT_PLATFORM_AUTHORITY, tenants.platformAuthorities(), clock),
                new ReconcileAppointment(new DynamoDbAppointmentStates(Priming.unsent(dynamo), config.appointmentsTable()),
                    config.conflictPolicy()),
                outbox(new SqsPlatformQueue(Priming.unsent(sqs), config.toPlatformQueueUrl()), writer),
                (io.telebridge.core.fromehr.Metrics) (metric, value, properties) -> { }, clock) // no metric from priming
                .translate(reader.read(PRIMING_MESSAGES.get(0)));
          })
          .step("identity table", Priming.tableRead(dynamo, config.identityTable()))
          .step("to-platform queue", Priming.queueRead(sqs, config.toPlatformQueueUrl()));
      return new Wiring(reader, routes, deadLetter, steps, gate, priming);
    }
  }

  /** Synthetic messages (no patient data) read during init: HAPI's ORU, ADT and SIU structures get loaded then. */
  static final List<String> PRIMING_MESSAGES = List.of(
      "MSH|^~\\&|PRIME|PRIME|TB|TB|20260101000000+0000||ORU^R01^ORU_R01|PRIME-1|P|2.5.1\r"
          + "PID|1||0^^^PRIME^MR\rOBR|1||F0^PRIME|0^Prime^LN|||20260101000000+0000||||||||||||||||||F\r"
          + "OBX|1|NM|0^Prime^LN||1|mg/dL|0-2|N|||F\rNTE|1|L|prime\r"
          + "OBX|2|SN|0^Prime^LN||<^1||||||F\rOBX|3|CWE|0^Prime^LN||A^B^L||||||F\r"
          + "OBX|4|ED|0^Prime^LN||PRIME^application^pdf^Base64^JVBERg==||||||F",
      "MSH|^~\\&|PRIME|PRIME|TB|TB|20260101000000+0000||ADT^A08^ADT_A01|PRIME-2|P|2.5.1\rEVN|A08|20260101000000+0000\r"
          + "PID|1||0^^^PRIME^MR||Prime^P||20000101|U",
      "MSH|^~\\&|PRIME|PRIME|TB|TB|20260101000000+0000||SIU^S12^SIU_S12|PRIME-3|P|2.5.1\r"
          + "SCH||S0^PRIME||||||||30|min|^^^20260101100000+0000^20260101103000+0000||||||||||||||Booked\r"
          + "PID|1||0^^^PRIME^MR\rRGS|1\rAIP|1||P0^^^^^^^^PRIME||||||||Booked");

  /**
   * Runs the synthetic messages through reading and the result one through JSON writing: the priming
   * step before a SnapStart snapshot (so the first real message after a restore does not pay HAPI's and
   * Jackson's class loading). No I/O: nothing is sent or stored.
   */
  static void prime(FromEhrReader reader, OutboundEventWriter writer, Clock clock) {
    for (String m : PRIMING_MESSAGES) {
      FromEhrMessage read = reader.read(m);
      if (read instanceof io.telebridge.core.fromehr.ResultReport r) {
        writer.write(new io.telebridge.core.fromehr.OutboundEvent("prime", 
            io.telebridge.core.fromehr.OutboundEventType.RESULT_AVAILABLE,
            java.time.OffsetDateTime.now(clock), "prime", "prime", r.patient().mrn(), r.header(),
            new io.telebridge.core.fromehr.OutboundData.ResultAvailable(r.results().get(0), false, null)));
      }
    }
  }

  /** SQS's message size limit (256 KiB) less room for the attributes. */
  static final int MAX_EVENT_BYTES = 256 * 1024 - 2048;

  /**
   * The outbox port on the queue: the event as JSON, exactly as the platform will receive it. An event
   * larger than an SQS message (a big embedded document) can never be queued: rejected with the size,
   * so the EHR message goes to the DLQ with that reason instead of failing until maxReceiveCount.
   */
  static PlatformOutbox outbox(SqsPlatformQueue queue, OutboundEventWriter writer) {
    return event -> {
      String body = writer.write(event);
      int bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes > MAX_EVENT_BYTES) {
        throw new RejectedException("event " + event.eventId() + " (" + event.type().wireName() + ", controlId="
            + event.source().controlId() + ") is " + bytes + " bytes, over the " + MAX_EVENT_BYTES
            + "-byte queue limit (an embedded document too large to carry inline)");
      }
      queue.send(event.groupId(), event.eventId(), event.type().wireName(), event.tenant(), body);
    };
  }

  /**
   * The return path's switches: an event whose flow (schedule changes, results, demographics) is off or
   * in shadow is not queued for the platform; in shadow its JSON is kept (the gate journals both).
   */
  static PlatformOutbox switched(PlatformOutbox queued, OutboundEventWriter writer, FlowGate gate) {
    return event -> {
      if (gate.toPlatform(event.tenant(), event.eventId(), event.type().wireName(), () -> writer.write(event))) {
        queued.send(event);
      }
    };
  }

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and the answer's bytes back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.sqs(input, output, context, this::handle);
  }

  public SqsBatchResponse handle(SqsEvent event, Context context) {
    return batch.process(event, context, message -> {
      FromEhrMessage read = reader.read(message.body());
      String facility = read.header().sendingFacility() == null ? "" : read.header().sendingFacility();
      Route route = routes.apply(facility).orElseThrow(() -> new RejectedException(
          "no tenant owns the EHR connection of sending facility " + facility + " (TENANTS ehrFacilities)"));
      if (route.reader() != reader) {
        read = route.reader().read(message.body()); // the PID-3 echo under the owning tenant's authority
      }
      // a to-EHR flow in shadow: the EHR's own message of that flow (a booking keyed by staff) is kept to compare
      gate.observed(route.tenant(), read.header().controlId(), SqsFifoBatch.attribute(message, "messageType"),
          message.body());
      journal.record(JournalSteps.fromEhr(route.tenant(), read.header().controlId(), SqsFifoBatch.attribute(message, "messageType"),
          route.translate().translate(read), Instant.now()));
      return SqsFifoBatch.Outcome.done();
    });
  }

  /** The journal step of a message that failed: its tenant from its sending facility (none known: not journaled). */
  private JournalEntry failed(SqsMessage message, RuntimeException error, String dlq) {
    String facility = SqsFifoBatch.attribute(message, "sendingFacility");
    String controlId = SqsFifoBatch.attribute(message, "controlId");
    String tenant = facility == null ? null : routes.apply(facility).map(Route::tenant).orElse(null);
    int attempt = 0;
    try {
      attempt = Integer.parseInt(message.attributes() == null ? "0"
          : message.attributes().getOrDefault("ApproximateReceiveCount", "0"));
    } catch (NumberFormatException e) {
      attempt = 0;
    }
    return JournalSteps.failed(tenant, controlId == null ? null : JournalEntry.HL7 + controlId,
        Stage.FROM_EHR_TRANSLATOR, error.getClass().getSimpleName(), attempt, dlq, "from-ehr", Instant.now());
  }
}
