package io.telebridge.hl7v2;

import static io.telebridge.hl7v2.MessageKind.ADT_A04;
import static io.telebridge.hl7v2.MessageKind.ADT_A08;
import static io.telebridge.hl7v2.MessageKind.ADT_A28;
import static io.telebridge.hl7v2.MessageKind.ADT_A31;
import static io.telebridge.hl7v2.MessageKind.SIU_S12;
import static io.telebridge.hl7v2.MessageKind.SIU_S13;
import static io.telebridge.hl7v2.MessageKind.SIU_S14;
import static io.telebridge.hl7v2.MessageKind.SIU_S15;
import static io.telebridge.hl7v2.MessageKind.SIU_S26;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.model.Appointment;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Provider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulingMessagesTest {

  private final SchedulingMessages epic = new SchedulingMessages(Samples.EPIC_LIKE, "prod", Samples.CLOCK);
  private final SchedulingMessages community = new SchedulingMessages(Samples.COMMUNITY, "prod", Samples.CLOCK);

  private static PlatformEvent withAppointment(PlatformEvent e, Appointment a) {
    return new PlatformEvent(e.eventId(), e.type(), e.occurredAt(), e.tenant(), e.patient(), a,
        e.previousStart(), e.previousEnd(), e.cancelledBy(), e.cancellationReason());
  }

  private static Appointment withVisitType(Appointment a, String visitType) {
    return new Appointment(a.id(), a.ehrId(), a.start(), a.end(), a.timeZone(), a.provider(), visitType, a.reason(), a.status(), a.modality());
  }

  private static Appointment withProvider(Appointment a, Provider p) {
    return new Appointment(a.id(), a.ehrId(), a.start(), a.end(), a.timeZone(), p, a.visitType(), a.reason(), a.status(), a.modality());
  }

  @Test
  void plansTheMessagesOfEveryEventForAKnownPatient() {
    assertEquals(List.of(ADT_A08), epic.plan(Samples.event("patient.registered.json"), false),
        "a registration of a patient who already has a chart updates it");
    assertEquals(List.of(ADT_A08), epic.plan(Samples.event("patient.updated.json"), false));
    assertEquals(List.of(SIU_S12), epic.plan(Samples.event("appointment.booked.json"), false));
    assertEquals(List.of(SIU_S13), epic.plan(Samples.event("appointment.rescheduled.json"), false));
    assertEquals(List.of(SIU_S14), epic.plan(Samples.event("inputs/appointment.modified.json"), false));
    assertEquals(List.of(SIU_S15), epic.plan(Samples.event("appointment.cancelled.json"), false));
    assertEquals(List.of(SIU_S26), epic.plan(Samples.event("appointment.no_show.json"), false));
  }

  @Test
  void registersANewPatientBeforeItsAppointmentMessage() {
    assertEquals(List.of(ADT_A04), epic.plan(Samples.event("patient.registered.json"), true));
    assertEquals(List.of(ADT_A04), epic.plan(Samples.event("patient.updated.json"), true));
    assertEquals(List.of(ADT_A04, SIU_S12), epic.plan(Samples.event("appointment.booked.json"), true));
    List<OutboundHl7> messages = epic.forEvent(Samples.event("appointment.booked.json"), null, true);
    assertEquals(List.of("ADT^A04", "SIU^S12"), messages.stream().map(OutboundHl7::messageType).toList());
    assertTrue(messages.get(0).payload().startsWith("MSH|^~\\&|TELEBRIDGE|TELEHEALTH|EPIC|MAIN_CLINIC|"));
  }

  @Test
  void usesTheVariantsTheSecondProfileAsksFor() {
    assertEquals(List.of(ADT_A28, SIU_S12), community.plan(Samples.event("appointment.booked.json"), true));
    assertEquals(List.of(ADT_A31), community.plan(Samples.event("patient.updated.json"), false));
    assertEquals(List.of(ADT_A31), community.plan(Samples.event("patient.registered.json"), false),
        "a known chart gets the profile's update message, never a second registration");
    assertEquals(List.of(SIU_S13), community.plan(Samples.event("inputs/appointment.modified.json"), false));
  }

  @Test
  void refusesVisitEventsAsNotScheduling() {
    PlatformEvent note = Samples.event("visit.note_signed.json");
    assertFalse(SchedulingMessages.supports(EventType.VISIT_NOTE_SIGNED));
    assertTrue(SchedulingMessages.supports(EventType.APPOINTMENT_NO_SHOW));
    assertThrows(IllegalArgumentException.class, () -> epic.forEvent(note, null, false));
  }

  @Test
  void givesARedeliveredEventTheSameMessagesAndControlIds() {
    PlatformEvent booked = Samples.event("appointment.booked.json");
    List<OutboundHl7> first = epic.forEvent(booked, null, true);
    Clock later = Clock.fixed(Instant.parse("2025-11-25T09:00:00Z"), ZoneOffset.UTC);
    List<OutboundHl7> again = SchedulingMessages.forEvent(booked, null, true, Samples.EPIC_LIKE, "prod", later);
    for (int i = 0; i < first.size(); i++) {
      assertEquals(first.get(i).controlId(), again.get(i).controlId());
      // only MSH-7, the time of sending, differs
      assertEquals(first.get(i).payload().replaceFirst("\\|2025112[45]\\d{6}-0500\\|", "|T|"),
          again.get(i).payload().replaceFirst("\\|2025112[45]\\d{6}-0500\\|", "|T|"));
    }
    assertNotEquals(first.get(0).controlId(), first.get(1).controlId());
  }

  @Test
  void refusesToRegisterANewPatientWithoutDemographicsAndNamesNoPatientData() {
    PlatformEvent cancelled = Samples.event("appointment.cancelled.json");
    UntranslatableEventException e = assertThrows(UntranslatableEventException.class, () -> epic.forEvent(cancelled, null, true));
    assertTrue(e.getMessage().contains("evt-0005-cancelled"), e.getMessage());
    assertTrue(e.getMessage().contains("no demographics"), e.getMessage());
  }

  @Test
  void refusesAnUnmappedVisitTypeNamingTheCodeAndTheProfile() {
    PlatformEvent booked = Samples.event("appointment.booked.json");
    PlatformEvent derm = withAppointment(booked, withVisitType(booked.appointment(), "dermatology"));
    UntranslatableEventException e = assertThrows(UntranslatableEventException.class, () -> epic.forEvent(derm, null, false));
    assertTrue(e.getMessage().contains("dermatology") && e.getMessage().contains("generic-epic-like"), e.getMessage());
    assertFalse(e.getMessage().contains("Connell"), e.getMessage());
    assertFalse(e.getMessage().contains("headaches"), e.getMessage());
    // the second profile has a default visit type
    assertEquals(1, community.forEvent(derm, null, false).size());
  }

  @Test
  void refusesAnUnmappedProviderUnlessTheProfileResolvesProvidersByNpi() {
    PlatformEvent booked = Samples.event("appointment.booked.json");
    PlatformEvent stranger = withAppointment(booked, withProvider(booked.appointment(), new Provider("prov-999", "1555014202", "Dr. X")));
    UntranslatableEventException e = assertThrows(UntranslatableEventException.class, () -> epic.forEvent(stranger, null, false));
    assertTrue(e.getMessage().contains("prov-999"), e.getMessage());
    String payload = community.forEvent(stranger, null, false).get(0).payload();
    assertTrue(payload.contains("\rAIP|1||1555014202^^^^^^^^CMS^^^^NPI|"), payload);
  }

  @Test
  void refusesTextTheProfilesCharacterSetCannotCarry() {
    EhrProfile latin1 = EhrProfile.read(new java.io.ByteArrayInputStream(yamlWithCharset("8859/1")), "latin1.yaml");
    PlatformEvent vietnamese = Samples.event("edge/patient.registered.escaping.json");
    UntranslatableEventException e = assertThrows(UntranslatableEventException.class,
        () -> SchedulingMessages.forEvent(vietnamese, null, true, latin1, "prod", Samples.CLOCK));
    assertTrue(e.getMessage().contains("ISO-8859-1"), e.getMessage());
    assertFalse(e.getMessage().contains("Đặng"), e.getMessage());
    // Latin-1 letters are fine
    assertEquals(1, SchedulingMessages.forEvent(Samples.event("patient.registered.json"), null, true, latin1, "prod", Samples.CLOCK).size());
  }

  private static byte[] yamlWithCharset(String msh18) {
    try (var in = EhrProfile.class.getClassLoader().getResourceAsStream("ehr-profiles/generic-epic-like.yaml")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("UNICODE UTF-8", msh18)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }

  @Test
  void keepsThePayloadOutOfToString() {
    OutboundHl7 message = epic.forEvent(Samples.event("patient.registered.json"), null, true).get(0);
    assertFalse(message.toString().contains("Connell"), message.toString());
    assertTrue(message.toString().contains(message.controlId()));
  }
}
