package io.telebridge.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.core.toehr.TranslateToEhr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The handler's FIFO batch semantics, with in-memory ports; the real queues are in tests/. */
class ToEhrTranslatorHandlerTest {

  private final List<String> sent = new ArrayList<>();
  private final List<String> deadLettered = new ArrayList<>();
  private final Set<String> failingEvents = new java.util.HashSet<>();
  private final Set<String> refusedEvents = new java.util.HashSet<>();

  private ToEhrTranslatorHandler handler() {
    TranslateToEhr translate = new TranslateToEhr(
        request -> new Resolution(List.of(new Identifier(request.patient().platformPatientId(), "PLATFORM", "PI")), false),
        (event, patient) -> {
          if (refusedEvents.contains(event.eventId())) {
            throw new io.telebridge.core.error.RejectedException("order code not mapped in the EHR profile");
          }
          return List.of(new OutboundMessage(event.eventId(), event.type().wireName(), "MSH|"));
        },
        (group, eventId, message) -> {
          if (failingEvents.contains(eventId)) {
            throw new TransientException("queue down", null);
          }
          sent.add(eventId);
        });
    return new ToEhrTranslatorHandler(translate, (message, reason, errorClass) -> deadLettered.add(message.messageId()));
  }

  private static SqsMessage record(String messageId, String sample) throws IOException {
    return record(messageId, sample, "pat-1001");
  }

  private static SqsMessage record(String messageId, String sample, String group) throws IOException {
    return SqsMessage.of(messageId, sample == null ? "{not json" : Files.readString(Path.of("../../events").resolve(sample)),
        Map.of("MessageGroupId", group));
  }

  private static SqsEvent batch(SqsMessage... records) {
    return new SqsEvent(List.of(records));
  }

  private static List<String> failed(SqsBatchResponse r) {
    return r.batchItemFailures();
  }

  @Test
  void translatesEveryRecordInOrderAndReportsNoFailures() throws IOException {
    SqsBatchResponse r = handler().handle(batch(record("m1", "appointment.booked.json"),
        record("m2", "appointment.rescheduled.json")), null);
    assertTrue(failed(r).isEmpty());
    assertEquals(List.of("evt-0003-booked", "evt-0004-rescheduled"), sent);
  }

  @Test
  void failsEveryRecordAfterTheFirstFailureSoNothingOvertakesIt() throws IOException {
    failingEvents.add("evt-0004-rescheduled");
    SqsBatchResponse r = handler().handle(batch(record("m1", "appointment.booked.json"),
        record("m2", "appointment.rescheduled.json"), record("m3", "appointment.cancelled.json")), null);
    assertEquals(List.of("m2", "m3"), failed(r));
    assertEquals(List.of("evt-0003-booked"), sent);
  }

  @Test
  void deadLettersAnEventThatCanNeverTranslateAndGoesOn() throws IOException {
    refusedEvents.add("evt-0008-orders-placed");
    SqsBatchResponse r = handler().handle(batch(record("m1", null),
        record("m2", "visit.orders_placed.json"), record("m3", "appointment.booked.json"),
        record("m4", "visit.note_signed.json")), null);
    assertTrue(failed(r).isEmpty());
    assertEquals(List.of("m1", "m2"), deadLettered);
    assertEquals(List.of("evt-0003-booked", "evt-0007-note-signed"), sent, "a visit event has a flow now");
  }

  @Test
  void aFailureForOnePatientDoesNotFailAnotherPatientsRecords() throws IOException {
    failingEvents.add("evt-0003-booked");
    SqsBatchResponse r = handler().handle(batch(record("m1", "appointment.booked.json", "pat-1001"),
        record("m2", "visit.note_signed.json", "pat-2002"), record("m3", "appointment.rescheduled.json", "pat-1001")),
        null);
    assertEquals(List.of("m1", "m3"), failed(r), "pat-1001's later record waits behind its failed one");
    assertEquals(List.of("evt-0007-note-signed"), sent, "pat-2002 goes on");
  }
}
