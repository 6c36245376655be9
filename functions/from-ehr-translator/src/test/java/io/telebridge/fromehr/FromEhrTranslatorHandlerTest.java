package io.telebridge.fromehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.fromehr.ConflictPolicy;
import io.telebridge.core.fromehr.OutboundEvent;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.fromehr.TranslateFromEhr;
import io.telebridge.core.model.Identifier;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.json.OutboundEventWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FromEhrTranslatorHandlerTest {

  static final Path REPO = Path.of(System.getProperty("telebridge.repo.dir", "../.."));
  static final Path FIXTURES = REPO.resolve("tests/fixtures/hl7v2/inbound");
  static final Identifier MRN = new Identifier("100234", "EPI", "MR");

  final Fakes.Index index = new Fakes.Index().link(MRN, "pat-1001");
  final List<OutboundEvent> sent = new ArrayList<>();
  final List<String> bodies = new ArrayList<>();
  final List<String[]> deadLettered = new ArrayList<>();
  int sendFailuresFromCall = Integer.MAX_VALUE;
  boolean dlqDown;
  final Map<String, Long> metrics = new HashMap<>();

  FromEhrTranslatorHandler handler() {
    OutboundEventWriter writer = new OutboundEventWriter();
    TranslateFromEhr translate = new TranslateFromEhr("demo-clinic", index,
        new ReconcileAppointment(new Fakes.States(), ConflictPolicy.ehrWins()),
        event -> {
          if (sent.size() >= sendFailuresFromCall) {
            throw new TransientException("queue down (test)", null);
          }
          sent.add(event);
          bodies.add(writer.write(event));
        },
        (metric, value, properties) -> metrics.merge(metric, value, Long::sum),
        Clock.fixed(Instant.parse("2025-11-24T16:00:00Z"), ZoneOffset.UTC));
    return new FromEhrTranslatorHandler(new FromEhrReader("TELEHEALTH", ZoneId.of("America/Chicago")), translate,
        (message, reason, errorClass) -> {
          if (dlqDown) {
            throw new TransientException("DLQ down (test)", null);
          }
          deadLettered.add(new String[] {message.messageId(), reason, errorClass});
        });
  }

  static String fixture(String name) {
    try {
      return Hl7Text.decode(Files.readAllBytes(FIXTURES.resolve(name)), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static SqsEvent batch(String... bodies) {
    List<SqsMessage> records = new ArrayList<>();
    for (int i = 0; i < bodies.length; i++) {
      records.add(SqsMessage.of("m" + (i + 1), bodies[i], Map.of("MessageGroupId", "100234")));
    }
    return new SqsEvent(records);
  }

  static List<String> failed(SqsBatchResponse r) {
    return r.batchItemFailures();
  }

  @Test
  void translatesABatchInOrderAndDeadLettersTheUnreadableAtOnce() {
    SqsBatchResponse r = handler().handle(batch(fixture("oru-r01.v251.epic-like.hl7"),
        "this is not HL7", fixture("siu-s13.v251.hl7"), fixture("adt-a08.v23.zsegment.hl7")), null);
    assertEquals(List.of(), failed(r));
    assertEquals(List.of("ehr.result.available", "ehr.appointment.changed", "ehr.patient.updated"),
        sent.stream().map(e -> e.type().wireName()).toList());
    assertEquals(1, deadLettered.size());
    assertEquals("m2", deadLettered.get(0)[0]);
    assertTrue(deadLettered.get(0)[1].contains("not an HL7 v2 message"));
    assertEquals("UnreadableMessageException", deadLettered.get(0)[2]);
  }

  @Test
  void anUnsupportedMessageTypeIsDeadLetteredWithTheReason() {
    handler().handle(batch("MSH|^~\\&|EPIC|MAIN|TB|TH|20251120||MDM^T02|X9|P|2.5.1\rPID|1||100234^^^EPI^MR"), null);
    assertEquals(1, deadLettered.size());
    assertTrue(deadLettered.get(0)[1].contains("MDM") && deadLettered.get(0)[1].contains("X9"));
  }

  @Test
  void afterATransientFailureTheRestOfTheBatchFailsToo() {
    sendFailuresFromCall = 1;
    SqsBatchResponse r = handler().handle(batch(fixture("oru-r01.v251.epic-like.hl7"),
        fixture("siu-s13.v251.hl7"), "not HL7 either", fixture("adt-a31.v251.hl7")), null);
    assertEquals(List.of("m2", "m3", "m4"), failed(r));
    assertEquals(1, sent.size());
    assertEquals(List.of(), deadLettered, "a later bad message waits its turn");
  }

  @Test
  void whenTheDlqIsDownTheUnreadableMessageIsRetried() {
    dlqDown = true;
    SqsBatchResponse r = handler().handle(batch("garbage", fixture("adt-a31.v251.hl7")), null);
    assertEquals(List.of("m1", "m2"), failed(r));
  }

  @Test
  void aMessageForAnUnlinkedMrnIsNeitherDeliveredNorFailed() {
    SqsBatchResponse r = handler().handle(batch(fixture("oru-r01.v251.latin1.hl7")), null);
    assertEquals(List.of(), failed(r));
    assertEquals(List.of(), sent);
    assertEquals(List.of(), deadLettered);
    assertEquals(1L, metrics.get("UnlinkedMrnMessages"));
  }

  @Test
  void theEchoOfAPlatformRescheduleIsNotSentBack() {
    FromEhrTranslatorHandler h = handler();
    h.handle(batch(fixture("siu-s13.v251.hl7")), null);
    assertEquals(1, sent.size());
    // the same S13 again (a redelivery): nothing new for the platform
    h.handle(batch(fixture("siu-s13.v251.hl7")), null);
    assertEquals(1, sent.size());
  }

  @Test
  void theConfigurationNamesEveryProblemAtOnce() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> FromEhrTranslatorConfig.fromEnvironment(Map.of("CONFLICT_POLICY", "colour:EHR", "EHR_TIME_ZONE", "Mars/Base")));
    for (String name : List.of("FROM_EHR_DLQ_URL", "TO_PLATFORM_QUEUE_URL", "APPOINTMENTS_TABLE", "IDENTITY_TABLE",
        "TENANT", "CONFLICT_POLICY", "EHR_TIME_ZONE")) {
      assertTrue(e.getMessage().contains(name), name);
    }
    FromEhrTranslatorConfig ok = FromEhrTranslatorConfig.fromEnvironment(Map.of("FROM_EHR_DLQ_URL", "d",
        "TO_PLATFORM_QUEUE_URL", "q", "APPOINTMENTS_TABLE", "a", "IDENTITY_TABLE", "i", "TENANT", "demo-clinic"));
    assertEquals(ConflictPolicy.ehrWins(), ok.conflictPolicy());
    assertEquals("TELEHEALTH", io.telebridge.hl7v2.EhrProfile.fromSetting(ok.ehrProfile()).authorities().platform().namespaceId());
  }

  @Test
  void logsAndBodiesOfDeadLettersCarryNoPatientDataInTheReason() {
    handler().handle(batch("MSH|^~\\&|EPIC|MAIN|TB|TH|20251120||ADT^A40|X7|P|2.5.1\rEVN|A40\r"
        + "PID|1||100234^^^EPI^MR||Secretname^Avery||19840719"), null);
    assertEquals(1, deadLettered.size());
    assertFalse(deadLettered.get(0)[1].contains("Secretname") || deadLettered.get(0)[1].contains("19840719"));
  }

  @Test
  void anEventTooLargeForTheQueueIsRejectedWithItsSizeBeforeAnythingIsSent() {
    // no SQS client: reaching the queue would fail the record (a batch failure), which the test refuses
    io.telebridge.aws.SqsPlatformQueue queue = new io.telebridge.aws.SqsPlatformQueue(null, "q");
    String big = fixture("oru-r01.v251.ed-pdf.hl7").replaceFirst("Base64\\^", "Base64^" + "QUJD".repeat(70_000));
    TranslateFromEhr translate = new TranslateFromEhr("demo-clinic", index,
        new ReconcileAppointment(new Fakes.States(), ConflictPolicy.ehrWins()),
        FromEhrTranslatorHandler.outbox(queue, new OutboundEventWriter()), (m, v, p) -> { },
        Clock.systemUTC());
    FromEhrTranslatorHandler h = new FromEhrTranslatorHandler(new FromEhrReader("TELEHEALTH", ZoneId.of("UTC")),
        translate, (message, reason, errorClass) -> deadLettered.add(new String[] {message.messageId(), reason}));
    SqsBatchResponse r = h.handle(batch(big), null);
    assertEquals(List.of(), failed(r));
    assertEquals(1, deadLettered.size());
    assertTrue(deadLettered.get(0)[1].contains("queue limit"), deadLettered.get(0)[1]);
  }

  @Test
  void thePrimingMessagesReadAsTheirTypes() {
    FromEhrReader reader = new FromEhrReader("TELEHEALTH", ZoneId.of("UTC"));
    List<String> types = FromEhrTranslatorHandler.PRIMING_MESSAGES.stream()
        .map(m -> reader.read(m).getClass().getSimpleName()).toList();
    assertEquals(List.of("ResultReport", "EhrPatientEvent", "EhrAppointmentEvent"), types);
    FromEhrTranslatorHandler.prime(reader, new OutboundEventWriter(), Clock.systemUTC());
  }

  @Test
  void aMessageFromAConnectionNoTenantOwnsIsDeadLetteredWithTheReasonAndTranslatedForNobody() {
    FromEhrTranslatorHandler routed = new FromEhrTranslatorHandler(new FromEhrReader("TELEHEALTH", ZoneId.of("UTC")),
        facility -> java.util.Optional.empty(), (message, reason, errorClass) ->
            deadLettered.add(new String[] {message.messageId(), reason, errorClass}));
    SqsBatchResponse r = routed.handle(batch(fixture("oru-r01.v251.epic-like.hl7")), null);
    assertTrue(r.batchItemFailures().isEmpty(), "not retried: it can never be resolved");
    assertEquals(1, deadLettered.size());
    assertTrue(deadLettered.get(0)[1].contains("MAIN_LAB"), deadLettered.get(0)[1]);
    assertTrue(sent.isEmpty());
  }
}
