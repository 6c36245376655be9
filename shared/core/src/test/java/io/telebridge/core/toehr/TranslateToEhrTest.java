package io.telebridge.core.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.RejectedException;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PlatformEvent;
import java.util.HashSet;
import java.util.Set;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranslateToEhrTest {

  private final List<String> sent = new ArrayList<>();
  private final Set<String> known = new HashSet<>();
  private final TranslateToEhr translate = new TranslateToEhr(
      request -> {
        if (request.patient().platformPatientId().startsWith("review-")) {
          return Resolution.parked("case-1");
        }
        boolean isNew = known.add(request.patient().platformPatientId());
        return new Resolution(List.of(new Identifier(request.patient().platformPatientId(), "PLATFORM", "PI")), isNew);
      },
      (event, patient) -> {
        List<OutboundMessage> out = new ArrayList<>();
        if (patient.newPatient()) {
          out.add(new OutboundMessage(event.eventId() + "-A04", "ADT^A04", "MSH|..."));
        }
        out.add(new OutboundMessage(event.eventId() + "-S12", "SIU^S12", "MSH|..."));
        return out;
      },
      (group, eventId, message) -> sent.add(group + " " + message.messageType() + " " + message.controlId()));

  private static PlatformEvent event(String id, EventType type) {
    return event(id, type, "pat-1");
  }

  private static PlatformEvent event(String id, EventType type, String patientId) {
    return new PlatformEvent(id, type, Instant.EPOCH, "acme",
        new PatientDemographics(patientId, null, null, null, null, null, null, null), null, null, null, null, null);
  }

  @Test
  void sendsTheRegistrationBeforeTheBookingInThePatientsGroup() {
    translate.translate(event("evt-1", EventType.APPOINTMENT_BOOKED), "{}");
    assertEquals(List.of("acme:pat-1 ADT^A04 evt-1-A04", "acme:pat-1 SIU^S12 evt-1-S12"), sent);
  }

  @Test
  void registersAPatientOnlyOnce() {
    translate.translate(event("evt-1", EventType.APPOINTMENT_BOOKED), "{}");
    sent.clear();
    translate.translate(event("evt-2", EventType.APPOINTMENT_CANCELLED), "{}");
    assertEquals(List.of("acme:pat-1 SIU^S12 evt-2-S12"), sent);
  }

  @Test
  void visitEventsHaveAnEhrFlowAndFollowTheBookingInThePatientsGroup() {
    translate.translate(event("evt-1", EventType.APPOINTMENT_BOOKED), "{}");
    translate.translate(event("evt-3", EventType.VISIT_NOTE_SIGNED), "{}");
    translate.translate(event("evt-5", EventType.VISIT_CHARGES_POSTED), "{}");
    assertEquals(List.of("acme:pat-1 ADT^A04 evt-1-A04", "acme:pat-1 SIU^S12 evt-1-S12", "acme:pat-1 SIU^S12 evt-3-S12",
        "acme:pat-1 SIU^S12 evt-5-S12"), sent);
  }

  @Test
  void aVisitEventIsWrittenToTheRecordBeforeItsMessagesAreQueuedAndAFailedWriteQueuesNothing() {
    List<String> order = new ArrayList<>();
    VisitRecordWrites records = (event, patient) -> {
      if (event.eventId().equals("evt-fail")) {
        throw new io.telebridge.core.error.TransientException("FHIR server answered 503", null);
      }
      order.add("fhir " + event.eventId());
      return new io.telebridge.core.context.ChartWrite(List.of("Encounter/1"), 1, 2, 2);
    };
    TranslateToEhr both = new TranslateToEhr(
        request -> new Resolution(List.of(new Identifier("pat-1", "PLATFORM", "PI")), false),
        (event, patient) -> List.of(new OutboundMessage(event.eventId() + "-T02", "MDM^T02", "MSH|...")),
        (group, eventId, message) -> order.add("queued " + message.controlId()), null, records);
    both.translate(event("evt-3", EventType.VISIT_NOTE_SIGNED), "{}");
    assertEquals(List.of("fhir evt-3", "queued evt-3-T02"), order);
    order.clear();
    assertThrows(io.telebridge.core.error.TransientException.class,
        () -> both.translate(event("evt-fail", EventType.VISIT_NOTE_SIGNED), "{}"));
    assertEquals(List.of(), order, "nothing queued: the retry writes and queues again");
  }

  @Test
  void aMessageFactoryRefusalSendsNothing() {
    TranslateToEhr refusing = new TranslateToEhr(
        request -> new Resolution(List.of(new Identifier("pat-1", "PLATFORM", "PI")), false),
        (event, patient) -> {
          throw new RejectedException("order ord-1 code not mapped");
        },
        (group, eventId, message) -> sent.add(message.controlId()));
    assertThrows(RejectedException.class, () -> refusing.translate(event("evt-6", EventType.VISIT_ORDERS_PLACED), "{}"));
    assertTrue(sent.isEmpty());
  }

  @Test
  void sendsNothingForAnEventParkedForReview() {
    List<OutboundMessage> out = translate.translate(event("evt-4", EventType.APPOINTMENT_BOOKED, "review-9"), "{}");
    assertTrue(out.isEmpty());
    assertTrue(sent.isEmpty());
  }

  @Test
  void recordsWhatItPushedForAnAppointmentSoTheEhrsEchoIsRecognised() {
    io.telebridge.core.fromehr.InMemoryAppointmentStates states = new io.telebridge.core.fromehr.InMemoryAppointmentStates();
    TranslateToEhr recording = new TranslateToEhr(
        request -> new Resolution(List.of(new Identifier(request.patient().platformPatientId(), "PLATFORM", "PI")), false),
        (event, patient) -> List.of(new OutboundMessage(event.eventId() + "-S13", "SIU^S13", "MSH|...")),
        (group, eventId, message) -> sent.add(message.controlId()),
        new io.telebridge.core.fromehr.ReconcileAppointment(states, io.telebridge.core.fromehr.ConflictPolicy.ehrWins()));
    java.time.OffsetDateTime start = java.time.OffsetDateTime.parse("2025-11-21T10:00:00-05:00");
    PlatformEvent rescheduled = new PlatformEvent("evt-4", EventType.APPOINTMENT_RESCHEDULED,
        Instant.parse("2025-11-18T15:00:00Z"), "acme",
        new PatientDemographics("pat-1", null, null, null, null, null, null, null),
        new io.telebridge.core.model.Appointment("apt-3001", "SCH-104233", start, start.plusMinutes(30), null,
            new io.telebridge.core.model.Provider("prov-501", "1555014202", null), "follow_up", null, "rescheduled", null),
        null, null, null, null);
    recording.translate(rescheduled, "{}");
    var state = states.load("acme", "apt-3001").orElseThrow();
    assertEquals("2025-11-21T10:00-05:00/2025-11-21T10:30-05:00",
        state.field(io.telebridge.core.fromehr.AppointmentField.TIME).value());
    assertEquals("npi:1555014202", state.field(io.telebridge.core.fromehr.AppointmentField.PROVIDER).value());
    assertEquals("booked", state.field(io.telebridge.core.fromehr.AppointmentField.STATUS).value());
    assertEquals(io.telebridge.core.fromehr.ChangeSource.PLATFORM,
        state.field(io.telebridge.core.fromehr.AppointmentField.TIME).source());
    assertEquals("SCH-104233", state.fillerId());
    assertEquals(List.of("evt-4-S13"), sent, "the message was queued before the state was recorded");
  }
}
