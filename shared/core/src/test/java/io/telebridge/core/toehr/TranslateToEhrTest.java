package io.telebridge.core.toehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.error.RejectedException;
import io.telebridge.core.identity.InMemoryPatientIdentities;
import io.telebridge.core.identity.ResolvePatient;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranslateToEhrTest {

  private final List<String> sent = new ArrayList<>();
  private final TranslateToEhr translate = new TranslateToEhr(
      new ResolvePatient(new InMemoryPatientIdentities(), "PLATFORM", Clock.systemUTC()),
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
    return new PlatformEvent(id, type, Instant.EPOCH, "acme",
        new PatientDemographics("pat-1", null, null, null, null, null, null, null), null, null, null, null, null);
  }

  @Test
  void sendsTheRegistrationBeforeTheBookingInThePatientsGroup() {
    translate.translate(event("evt-1", EventType.APPOINTMENT_BOOKED));
    assertEquals(List.of("acme:pat-1 ADT^A04 evt-1-A04", "acme:pat-1 SIU^S12 evt-1-S12"), sent);
  }

  @Test
  void registersAPatientOnlyOnce() {
    translate.translate(event("evt-1", EventType.APPOINTMENT_BOOKED));
    sent.clear();
    translate.translate(event("evt-2", EventType.APPOINTMENT_CANCELLED));
    assertEquals(List.of("acme:pat-1 SIU^S12 evt-2-S12"), sent);
  }

  @Test
  void refusesEventTypesWithoutAnEhrFlowAndSendsNothing() {
    assertThrows(RejectedException.class, () -> translate.translate(event("evt-3", EventType.VISIT_NOTE_SIGNED)));
    assertTrue(sent.isEmpty());
  }
}
