package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.aws.DynamoDbAppointmentStates;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.matching.mpi.MatcherWiring;
import io.telebridge.core.fromehr.AppointmentField;
import io.telebridge.core.fromehr.AppointmentState;
import io.telebridge.core.fromehr.ChangeSource;
import io.telebridge.core.fromehr.ConflictPolicy;
import io.telebridge.core.fromehr.FieldState;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.fromehr.FromEhrTranslatorHandler;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The from-EHR translator against real peers: appointment state and the EHR patient index on moto
 * (conditional writes, version conflicts), the to-platform and from-EHR DLQ FIFO queues on ElasticMQ.
 * The table and queues are the template's (AppointmentsTable, IdentityTable, ToPlatformQueue,
 * FromEhrDeadLetterQueue); the stack runs no function, so this test reads the to-platform queue itself.
 */
class FromEhrTranslatorIT {

  static final Path FIXTURES = Signed.REPO.resolve("tests/fixtures/hl7v2/inbound");
  static final JsonMapper JSON = JsonMapper.builder().build();

  private static LocalStack stack;
  private static String appointments;
  private static String identity;
  private static String toPlatform;
  private static String dlq;

  @BeforeAll
  static void start() throws IOException {
    stack = LocalStack.start(LocalStackOptions.forTests(Signed.REPO.resolve("template.yaml")).runFunctions(false));
    identity = stack.tableName("IdentityTable");
    appointments = stack.tableName("AppointmentsTable");
    toPlatform = stack.queueUrl("ToPlatformQueue");
    dlq = stack.queueUrl("FromEhrDeadLetterQueue");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static Map<String, String> environment(String tenant) {
    Map<String, String> env = new HashMap<>(stack.awsEnvironment());
    env.put("FROM_EHR_DLQ_URL", dlq);
    env.put("TO_PLATFORM_QUEUE_URL", toPlatform);
    env.put("APPOINTMENTS_TABLE", appointments);
    env.put("IDENTITY_TABLE", identity);
    env.put("TENANT", tenant);
    env.put("EHR_TIME_ZONE", "America/Chicago");
    return env;
  }

  static SqsEvent event(String... fixtureOrBody) throws IOException {
    List<SqsMessage> records = new ArrayList<>();
    int i = 0;
    for (String f : fixtureOrBody) {
      String body = f.endsWith(".hl7") ? io.telebridge.hl7v2.Hl7Text.decode(Files.readAllBytes(FIXTURES.resolve(f)), java.nio.charset.StandardCharsets.UTF_8) : f;
      String id = "msg-" + UUID.randomUUID() + "-" + i++;
      records.add(SqsMessage.of(id, body, Map.of("MessageGroupId", "100234")).withMessageAttribute("controlId", "C" + i));
    }
    return new SqsEvent(records);
  }

  static List<Message> drain(String queue) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> batch = stack.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      if (batch.isEmpty()) {
        return all;
      }
      for (Message m : batch) {
        all.add(m);
        stack.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
      }
    }
  }

  @Test
  void appointmentStateWritesAreConditionalOnTheVersion() {
    DynamoDbAppointmentStates states = new DynamoDbAppointmentStates(stack.adapterDynamoDb(), appointments);
    AppointmentState first = new AppointmentState("t-version", "apt-1", "apt-1", null,
        Map.of(AppointmentField.STATUS, new FieldState("booked", ChangeSource.EHR, Instant.parse("2025-11-20T10:00:00Z"))), 0);
    assertTrue(states.save(first, 0));
    assertFalse(states.save(first, 0), "a second create loses");
    AppointmentState stored = states.load("t-version", "apt-1").orElseThrow();
    assertEquals(1, stored.version());
    assertEquals(first.fields(), stored.fields());
    assertTrue(states.save(stored, 1));
    assertFalse(states.save(stored, 1), "a writer that read version 1 loses once version 2 is stored");
    assertEquals(2, states.load("t-version", "apt-1").orElseThrow().version());
  }

  @Test
  void twoReconcilersRacingOnMotoBothEndUpApplied() throws InterruptedException {
    DynamoDbAppointmentStates states = new DynamoDbAppointmentStates(stack.adapterDynamoDb(), appointments);
    ReconcileAppointment reconcile = new ReconcileAppointment(states, ConflictPolicy.ehrWins());
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 4; i++) {
      int n = i;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          reconcile.recordPlatformChange("t-race", "apt-9", "SCH-9",
              OffsetDateTime.parse("2025-12-01T10:00:00-05:00").plusHours(n),
              OffsetDateTime.parse("2025-12-01T10:30:00-05:00").plusHours(n), null, null, "booked",
              Instant.parse("2025-11-24T16:00:00Z").plusSeconds(n));
        } catch (Throwable t) {
          errors.add(t);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), errors);
    AppointmentState s = states.load("t-race", "apt-9").orElseThrow();
    assertEquals(4, s.version(), "every writer's change went through one version each");
    assertEquals("2025-12-01T13:00-05:00/2025-12-01T13:30-05:00", s.field(AppointmentField.TIME).value(),
        "the latest change wins whatever the order of the writes");
  }

  @Test
  void theHandlerCarriesEhrMessagesToThePlatformQueueAndTheUnreadableToTheDlq() throws IOException {
    String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
    FromEhrTranslatorHandler handler = new FromEhrTranslatorHandler(environment(tenant));
    register(tenant, "pat-1001", "Avery", "Testpatient", "1984-07-19");

    // A31 echoes pat-1001 (registered by the to-EHR path) in PID-3: the index links MRN 100234,
    // and the platform hears the update
    SqsBatchResponse r = handler.handle(event("adt-a31.v251.hl7", "oru-r01.v251.epic-like.hl7",
        "siu-s13.v251.hl7", "not HL7 at all"), null);
    assertEquals(List.of(), r.batchItemFailures());
    List<Message> out = drain(toPlatform);
    assertEquals(List.of("ehr.patient.updated", "ehr.result.available", "ehr.appointment.changed"),
        out.stream().map(m -> m.messageAttributes().get("eventType").stringValue()).toList());
    for (Message m : out) {
      JsonNode body = JSON.readTree(m.body());
      assertEquals(body.get("eventId").asString(), m.messageAttributes().get("eventId").stringValue());
      assertEquals(body.get("eventId").asString(), m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
      assertEquals(tenant + ":pat-1001", m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
      assertEquals(tenant, m.messageAttributes().get("tenant").stringValue());
    }
    List<Message> dead = drain(dlq);
    assertEquals(1, dead.size());
    assertEquals("not HL7 at all", dead.get(0).body());
    assertTrue(dead.get(0).messageAttributes().get("reason").stringValue().contains("not an HL7 v2 message"));
    assertEquals("from-ehr-translator", dead.get(0).messageAttributes().get("failedStage").stringValue());

    // a redelivery yields the same event ids: the FIFO queue keeps one copy
    handler.handle(event("oru-r01.v251.epic-like.hl7"), null);
    assertEquals(List.of(), drain(toPlatform));

    // telebridge pushed a reschedule to 10:00 (the to-EHR path records it); the EHR's echo is not looped back
    new ReconcileAppointment(new DynamoDbAppointmentStates(stack.adapterDynamoDb(), appointments), ConflictPolicy.ehrWins())
        .recordPlatformChange(tenant, "apt-3001", "SCH-104233", OffsetDateTime.parse("2025-11-21T10:00:00-05:00"),
            OffsetDateTime.parse("2025-11-21T10:30:00-05:00"), "1555014202", null, "rescheduled",
            Instant.parse("2025-11-20T21:30:00Z"));
    handler.handle(event("siu-s13.echo.v251.hl7"), null);
    assertEquals(List.of(), drain(toPlatform));
    // the EHR then cancels (MSH-7 2025-11-20T17:00-05:00, after the platform's change): that reaches the platform
    handler.handle(event("siu-s15.v251.cr.hl7"), null);
    List<Message> cancelled = drain(toPlatform);
    assertEquals(1, cancelled.size());
    JsonNode data = JSON.readTree(cancelled.get(0).body()).get("data");
    assertEquals("cancelled", data.get("change").asString());
    assertEquals("cancelled", data.get("appointment").get("status").asString());
  }

  @Test
  void anA40MergeTellsEveryPlatformPatientOfBothChartsAndRepointsTheIndex() throws IOException {
    String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), identity);
    EhrPatientIndex index = MatcherWiring.ehrPatientIndex(store, store.candidateIndex());
    Identifier survivor = new Identifier("100234", "EPI", "MR");
    Identifier prior = new Identifier("100877", "EPI", "MR");
    register(tenant, "pat-1001", "Avery", "Testpatient", "1984-07-19");
    register(tenant, "pat-2002", "Jordan", "Sampleperson", "1970-03-02");
    assertEquals(List.of("pat-1001"), index.upsert(tenant, new EhrPatient(List.of(survivor), demographics("pat-1001"))));
    assertEquals(List.of("pat-2002"), index.upsert(tenant, new EhrPatient(List.of(prior), demographics("pat-2002"))));
    assertEquals(List.of("pat-2002"), index.upsert(tenant, new EhrPatient(List.of(prior), demographics(null))),
        "an upsert without an echo keeps the links");

    FromEhrTranslatorHandler handler = new FromEhrTranslatorHandler(environment(tenant));
    handler.handle(event("adt-a40.v251.hl7"), null);
    List<Message> out = drain(toPlatform);
    assertEquals(List.of(tenant + ":pat-1001", tenant + ":pat-2002"),
        out.stream().map(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).sorted().toList());
    for (Message m : out) {
      JsonNode data = JSON.readTree(m.body()).get("data");
      assertEquals("100234", data.get("survivingMrn").get("value").asString());
      assertEquals("100877", data.get("mergedMrn").get("value").asString());
    }
    assertEquals(List.of("pat-1001", "pat-2002"), index.platformPatientsOf(tenant, survivor));
    assertEquals(List.of("pat-1001", "pat-2002"), index.platformPatientsOf(tenant, prior),
        "the merged chart answers with its survivor's patients");
  }

  /** A platform patient registered as the to-EHR path does (the matcher's resolver: a new patient). */
  private static void register(String tenant, String platformId, String given, String family, String birthDate) {
    io.telebridge.aws.DynamoDbIdentityStore store = new io.telebridge.aws.DynamoDbIdentityStore(stack.adapterDynamoDb(), identity);
    var resolution = new io.telebridge.matching.mpi.MatchingPatientResolver(store, store.candidateIndex(), "TELEHEALTH",
        java.time.Clock.systemUTC()).resolve(new io.telebridge.core.identity.ResolveRequest(tenant,
            new PatientDemographics(platformId, new io.telebridge.core.model.PersonName(List.of(given), family, null, null),
                java.time.LocalDate.parse(birthDate), io.telebridge.core.model.Sex.UNKNOWN, List.of(), null, null, null),
            "evt-register-" + platformId, "{}", null));
    assertTrue(resolution.newPatient() && !resolution.parked(), "registered " + platformId);
  }

  private static PatientDemographics demographics(String platformId) {
    return new PatientDemographics(platformId, null, null, null, List.of(), null, null, null);
  }
}
