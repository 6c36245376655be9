package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.SIU_S12;
import ca.uhn.hl7v2.util.Terser;
import io.telebridge.core.model.Appointment;
import io.telebridge.core.model.PlatformEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Emitted messages parsed back with validation on (the strict context) and read through Terser. */
class FieldsReadBackTest {

  private static Terser parse(OutboundHl7 message) throws HL7Exception {
    Message parsed = StrictHl7.parser().parse(message.payload());
    return new Terser(parsed);
  }

  private static List<OutboundHl7> epic(String sample, boolean patientIsNew) {
    PlatformEvent event = Samples.event(sample);
    var pid3 = patientIsNew ? Samples.newPatient(Samples.EPIC_LIKE, event) : Samples.knownPatient(Samples.EPIC_LIKE, event);
    return SchedulingMessages.forEvent(event, pid3, patientIsNew, Samples.EPIC_LIKE, "prod", Samples.CLOCK);
  }

  @Test
  void theHeaderCarriesTheProfileTheTimeWithItsOffsetTheTypeAndADeterministicControlId() throws HL7Exception {
    OutboundHl7 siu = epic("appointment.booked.json", false).get(0);
    Terser t = parse(siu);
    assertEquals("TELEBRIDGE", t.get("/MSH-3"));
    assertEquals("TELEHEALTH", t.get("/MSH-4"));
    assertEquals("EPIC", t.get("/MSH-5"));
    assertEquals("MAIN_CLINIC", t.get("/MSH-6"));
    assertEquals("20251124110000-0500", t.get("/MSH-7"));
    assertEquals("SIU", t.get("/MSH-9-1"));
    assertEquals("S12", t.get("/MSH-9-2"));
    assertEquals("SIU_S12", t.get("/MSH-9-3"));
    assertEquals(siu.controlId(), t.get("/MSH-10"));
    assertEquals(ControlIds.of("demo-clinic", "evt-0003-booked", "SIU^S12"), siu.controlId());
    assertTrue(siu.controlId().length() <= 20);
    assertEquals("P", t.get("/MSH-11"));
    assertEquals("2.5.1", t.get("/MSH-12"));
    assertEquals("UNICODE UTF-8", t.get("/MSH-18"));
  }

  @Test
  void theProcessingIdFollowsTheEnvironment() throws HL7Exception {
    PlatformEvent event = Samples.event("patient.registered.json");
    for (var env : List.of(new String[] {"prod", "P"}, new String[] {"staging", "T"}, new String[] {"dev", "T"})) {
      OutboundHl7 m = SchedulingMessages.forEvent(event, null, true, Samples.EPIC_LIKE, env[0], Samples.CLOCK).get(0);
      assertEquals(env[1], parse(m).get("/MSH-11"), env[0]);
    }
  }

  @Test
  void theRegistrationCarriesEveryDemographicField() throws HL7Exception {
    OutboundHl7 adt = epic("patient.registered.json", true).get(0);
    assertEquals("ADT^A04", adt.messageType());
    Terser t = parse(adt);
    assertEquals("ADT_A01", t.get("/MSH-9-3"));
    assertEquals("A04", t.get("/EVN-1"));
    assertEquals("20251103091244-0500", t.get("/EVN-2"));
    assertEquals("pat-1001", t.get("/PID-3-1"));
    assertEquals("TELEHEALTH", t.get("/PID-3-4"));
    assertEquals("PI", t.get("/PID-3-5"));
    assertEquals("O'Connell-Reyes", t.get("/PID-5-1"));
    assertEquals("Seán", t.get("/PID-5-2"));
    assertEquals("Patrick", t.get("/PID-5-3"));
    assertEquals("Jr", t.get("/PID-5-4"));
    assertEquals("Mr.", t.get("/PID-5-5"));
    assertEquals("L", t.get("/PID-5-7"));
    assertEquals("19840719", t.get("/PID-7"));
    assertEquals("M", t.get("/PID-8"));
    assertEquals("42 Larkspur Lane", t.get("/PID-11-1"));
    assertEquals("Apt 3B", t.get("/PID-11-2"));
    assertEquals("Springfield", t.get("/PID-11-3"));
    assertEquals("MA", t.get("/PID-11-4"));
    assertEquals("01103", t.get("/PID-11-5"));
    assertEquals("US", t.get("/PID-11-6"));
    assertEquals("(617)555-0142", t.get("/PID-13(0)-1"));
    assertEquals("ORN", t.get("/PID-13(0)-2"));
    assertEquals("CP", t.get("/PID-13(0)-3"));
    assertEquals("617", t.get("/PID-13(0)-6"));
    assertEquals("5550142", t.get("/PID-13(0)-7"));
    assertEquals("PRN", t.get("/PID-13(1)-2"));
    assertEquals("NET", t.get("/PID-13(2)-2"));
    assertEquals("Internet", t.get("/PID-13(2)-3"));
    assertEquals("sean.oconnell-reyes@example.org", t.get("/PID-13(2)-4"));
    assertNull(t.get("/PID-19"), "never the SSN digits");
    assertEquals("O", t.get("/PV1-2"));
    assertEquals("TELEHEALTH", t.get("/PV1-3-1"));
  }

  @Test
  void aKnownPatientIsIdentifiedByMrnAndPlatformId() throws HL7Exception {
    Terser t = parse(epic("appointment.rescheduled.json", false).get(0));
    assertEquals("100234", t.get("/PATIENT/PID-3(0)-1"));
    assertEquals("EPI", t.get("/PATIENT/PID-3(0)-4"));
    assertEquals("MR", t.get("/PATIENT/PID-3(0)-5"));
    assertEquals("pat-1001", t.get("/PATIENT/PID-3(1)-1"));
    assertEquals("TELEHEALTH", t.get("/PATIENT/PID-3(1)-4"));
    assertEquals("PI", t.get("/PATIENT/PID-3(1)-5"));
    assertNull(t.get("/PATIENT/PID-5-1"), "the event carried no demographics");
  }

  @Test
  void theBookingCarriesScheduleServiceLocationAndProvider() throws HL7Exception {
    Terser t = parse(epic("appointment.booked.json", false).get(0));
    assertEquals("apt-3001", t.get("/SCH-1-1"));
    assertEquals("TELEHEALTH", t.get("/SCH-1-2"));
    assertNull(t.get("/SCH-2-1"), "no EHR id yet");
    assertEquals("BOOKED", t.get("/SCH-6-1"));
    assertEquals("ROUTINE", t.get("/SCH-7-1"));
    assertEquals("HL70276", t.get("/SCH-7-3"));
    assertEquals("TELE_NEW", t.get("/SCH-8-1"));
    assertEquals("30", t.get("/SCH-9"));
    assertEquals("min", t.get("/SCH-10-1"));
    assertEquals("20251120143000-0500", t.get("/SCH-11-4"));
    assertEquals("20251120150000-0500", t.get("/SCH-11-5"));
    assertEquals("Booked", t.get("/SCH-25-1"));
    assertEquals("Recurring headaches for three weeks; would like to discuss options.", t.get("/NTE-3"));
    assertEquals("O", t.get("/PATIENT/PV1-2"));
    assertEquals("1", t.get("/RESOURCES/RGS-1"));
    assertEquals("TELE_NEW", t.get("/RESOURCES/SERVICE/AIS-3-1"));
    assertEquals("20251120143000-0500", t.get("/RESOURCES/SERVICE/AIS-4"));
    assertEquals("TELEHEALTH", t.get("/RESOURCES/LOCATION_RESOURCE/AIL-3-1"));
    assertEquals("MAIN_CLINIC", t.get("/RESOURCES/LOCATION_RESOURCE/AIL-3-4"));
    assertEquals("E10501", t.get("/RESOURCES/PERSONNEL_RESOURCE/AIP-3(0)-1"));
    assertEquals("EPIC", t.get("/RESOURCES/PERSONNEL_RESOURCE/AIP-3(0)-9"));
    assertEquals("1555014202", t.get("/RESOURCES/PERSONNEL_RESOURCE/AIP-3(1)-1"));
    assertEquals("NPI", t.get("/RESOURCES/PERSONNEL_RESOURCE/AIP-3(1)-13"));
    assertEquals("Booked", t.get("/RESOURCES/PERSONNEL_RESOURCE/AIP-12-1"));
  }

  @Test
  void theFillerStatusAndEventReasonFollowTheEvent() throws HL7Exception {
    Terser rescheduled = parse(epic("appointment.rescheduled.json", false).get(0));
    assertEquals("SCH-104233", rescheduled.get("/SCH-2-1"));
    assertEquals("RESCHED", rescheduled.get("/SCH-6-1"));
    assertEquals("20251121100000-0500", rescheduled.get("/SCH-11-4"));
    assertEquals("Booked", rescheduled.get("/SCH-25-1"));

    Terser cancelled = parse(epic("appointment.cancelled.json", false).get(0));
    assertEquals("PATCXL", cancelled.get("/SCH-6-1"), "the cancelled.patient reason");
    assertEquals("Cancelled", cancelled.get("/SCH-25-1"));
    assertEquals("Symptoms resolved; patient no longer needs the follow-up.", cancelled.get("/NTE-3"));
    assertEquals("CANCELREASON", cancelled.get("/NTE-4-1"));

    Terser noShow = parse(epic("appointment.no_show.json", false).get(0));
    assertEquals("NOSHOW", noShow.get("/SCH-6-1"));
    assertEquals("Noshow", noShow.get("/SCH-25-1"));
    assertEquals("90834", noShow.get("/RESOURCES/SERVICE/AIS-3-1"));

    Terser modified = parse(epic("inputs/appointment.modified.json", false).get(0));
    assertEquals("S14", modified.get("/MSH-9-2"));
    assertEquals("MODIFIED", modified.get("/SCH-6-1"));
    assertEquals("E10502", modified.get("/RESOURCES/PERSONNEL_RESOURCE/AIP-3(0)-1"));
  }

  @Test
  void theSecondProfileChangesSegmentsAndCodesWithoutCode() throws HL7Exception {
    PlatformEvent booked = Samples.event("appointment.booked.json");
    List<OutboundHl7> messages = SchedulingMessages.forEvent(
        booked, Samples.newPatient(Samples.COMMUNITY, booked), true, Samples.COMMUNITY, "prod", Samples.CLOCK);
    Terser adt = parse(messages.get(0));
    assertEquals("ADT^A28^ADT_A05", adt.get("/MSH-9-1") + "^" + adt.get("/MSH-9-2") + "^" + adt.get("/MSH-9-3"));
    assertEquals("N", adt.get("/PV1-2"));
    assertEquals("TBPAT", adt.get("/PID-3-4-1"));
    assertEquals("2.16.840.1.113883.3.9999.20", adt.get("/PID-3-4-2"));
    assertEquals("ISO", adt.get("/PID-3-4-3"));
    assertEquals("20251124160000+0000", adt.get("/MSH-7"));
    assertNull(adt.get("/MSH-18"));

    Message siuMessage = StrictHl7.parser().parse(messages.get(1).payload());
    Terser siu = new Terser(siuMessage);
    assertNull(siu.get("/SCH-11-4"), "TQ1 instead of SCH-11");
    assertEquals("20251120133000-0600", siu.get("/TQ1-7"), "in the profile's schedule time zone");
    assertEquals("20251120140000-0600", siu.get("/TQ1-8"));
    assertEquals("30", siu.get("/TQ1-6-1"));
    assertEquals("VV", siu.get("/SCH-8-1"), "the default visit type");
    assertEquals("NEW", siu.get("/SCH-6-1"));
    SIU_S12 typed = (SIU_S12) siuMessage;
    assertTrue(typed.getPATIENT().getPV1().isEmpty(), "no PV1 in SIU");
    assertTrue(typed.getRESOURCES().getSERVICE().getAIS().isEmpty(), "no AIS");
    assertEquals(0, typed.getNTEReps(), "no notes");
    assertEquals("1555014202", siu.get("/RESOURCES/PERSONNEL_RESOURCE/AIP-3(0)-1"), "NPI only");
    assertEquals("VIDEO", siu.get("/RESOURCES/LOCATION_RESOURCE/AIL-3-2"));
  }

  @Test
  void aNameWithEveryDelimiterSurvivesTheRoundTrip() throws HL7Exception {
    OutboundHl7 adt = epic("edge/patient.registered.escaping.json", true).get(0);
    assertTrue(adt.payload().contains("O'Brien\\F\\Smith\\S\\Jr^Mary\\T\\Jane^Ann\\R\\Lee Đặng"), adt.payload());
    Terser t = parse(adt);
    assertEquals("O'Brien|Smith^Jr", t.get("/PID-5-1"));
    assertEquals("Mary&Jane", t.get("/PID-5-2"));
    assertEquals("Ann~Lee Đặng", t.get("/PID-5-3"));
    assertEquals("7 Back\\Slash Rd", t.get("/PID-11-1"));
    assertEquals("Unit #4 | Rear", t.get("/PID-11-2"));
    assertEquals("Coeur d'Alene", t.get("/PID-11-3"));
    assertEquals("(555)555-0123", t.get("/PID-13-1"));
    assertEquals("WPN", t.get("/PID-13-2"));
  }

  @Test
  void reasonsWithDelimitersBackslashesAndLineBreaksSurviveTheRoundTrip() throws HL7Exception {
    List<OutboundHl7> messages = epic("inputs/appointment.booked.escaping.json", true);
    OutboundHl7 siu = messages.get(1);
    List<String> segments = List.of(siu.payload().split("\r"));
    assertEquals(List.of("MSH", "SCH", "NTE", "PID", "PV1", "RGS", "AIS", "AIL", "AIP"),
        segments.stream().map(s -> s.substring(0, 3)).toList(), "no line break of the reason leaked into the ER7");
    Terser t = parse(siu);
    String reason = Samples.event("inputs/appointment.booked.escaping.json").appointment().reason();
    assertEquals(reason.replace("\r\n", "\n"), t.get("/NTE-3"));
    assertEquals("O'Brien|Smith^Jr", t.get("/PATIENT/PID-5-1"));
    assertEquals("+442079460958", t.get("/PATIENT/PID-13(1)-12"));
    assertEquals("TELE_FU_PH", t.get("/SCH-8-1"), "the phone modality's visit type");
    assertEquals("20251112160000-0700", t.get("/SCH-11-4"), "in the appointment's own zone");

    PlatformEvent cancelled = Samples.event("appointment.cancelled.json");
    String nasty = "Moved away & ~ \\ | ^ done\nbye";
    PlatformEvent withReason = new PlatformEvent(cancelled.eventId(), cancelled.type(), cancelled.occurredAt(), cancelled.tenant(),
        cancelled.patient(), cancelled.appointment(), null, null, "provider", nasty);
    Terser c = parse(SchedulingMessages.forEvent(withReason, null, false, Samples.EPIC_LIKE, "prod", Samples.CLOCK).get(0));
    assertEquals(nasty, c.get("/NTE-3"));
    assertEquals("PROVCXL", c.get("/SCH-6-1"));
  }

  @Test
  void appointmentTimesMayBeWrittenInTheEhrsZone() throws HL7Exception {
    PlatformEvent booked = Samples.event("appointment.booked.json");
    Appointment a = booked.appointment();
    assertEquals("2025-11-20T14:30-05:00", a.start().toString());
    Terser t = parse(SchedulingMessages.forEvent(booked, null, false, Samples.COMMUNITY, "prod", Samples.CLOCK).get(0));
    assertEquals("20251120133000-0600", t.get("/TQ1-7"));
    assertFalse(t.get("/TQ1-7").endsWith("-0500"));
  }
}
