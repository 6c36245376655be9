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
  void refusesEventTypesWithoutAnEhrFlowAndSendsNothing() {
    assertThrows(RejectedException.class, () -> translate.translate(event("evt-3", EventType.VISIT_NOTE_SIGNED), "{}"));
    assertTrue(sent.isEmpty());
  }

  @Test
  void sendsNothingForAnEventParkedForReview() {
    List<OutboundMessage> out = translate.translate(event("evt-4", EventType.APPOINTMENT_BOOKED, "review-9"), "{}");
    assertTrue(out.isEmpty());
    assertTrue(sent.isEmpty());
  }
}
