package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.TQ;
import ca.uhn.hl7v2.model.v251.group.SIU_S12_PATIENT;
import ca.uhn.hl7v2.model.v251.group.SIU_S12_RESOURCES;
import ca.uhn.hl7v2.model.v251.message.SIU_S12;
import ca.uhn.hl7v2.model.v251.segment.AIL;
import ca.uhn.hl7v2.model.v251.segment.AIP;
import ca.uhn.hl7v2.model.v251.segment.AIS;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.SCH;
import ca.uhn.hl7v2.model.v251.segment.TQ1;
import io.telebridge.core.model.Appointment;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Provider;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * SIU scheduling messages (structure SIU_S12 for every trigger): MSH, SCH, [TQ1], [NTE], PID, [PV1],
 * RGS, [AIS], [AIL], [AIP]. Bracketed segments are chosen by the profile's {@code segments}.
 *
 * <p>SCH-1 placer id (platform appointment id), SCH-2 filler id (EHR appointment id, when known),
 * SCH-6 event reason (profile {@code eventReasons}), SCH-7 appointment reason and SCH-8 appointment
 * type (profile {@code visitTypes}), SCH-9/10 duration in minutes, SCH-11 start/end (or TQ1-6/7/8),
 * SCH-25 filler status (HL7 table 0278: Booked, Cancelled, Noshow). AIS-3 the service, AIL-3 the
 * virtual location, AIP-3 the provider (EHR id, then NPI); each with the start, duration and status.
 */
final class SiuMessages {

  /** NTE-4 comment types of the notes (local codes). */
  static final EhrProfile.Coded VISIT_REASON_NOTE = new EhrProfile.Coded("VISITREASON", "Reason for visit", "L");

  static final EhrProfile.Coded CANCEL_REASON_NOTE = new EhrProfile.Coded("CANCELREASON", "Cancellation reason", "L");

  private SiuMessages() {}

  static OutboundHl7 build(MessageAssembly settings, MessageKind kind, PlatformEvent event, List<Identifier> pid3) {
    MessageAssembly.requireEvent(event);
    Appointment a = event.appointment();
    if (a == null || a.start() == null || a.end() == null || a.id() == null) {
      throw new UntranslatableEventException("event " + event.eventId() + " (" + event.type().wireName()
          + "): no appointment with id, start and end for " + kind.messageType());
    }
    EhrProfile profile = settings.profile;
    EhrProfile.VisitTypeCodes codes = visitTypeCodes(profile, event, a);
    List<ProviderIds.Id> personnel = personnelIds(profile, event, a.provider());
    List<Identifier> identifiers = settings.identifiers(event, pid3);
    String controlId = ControlIds.of(event.tenant(), event.eventId(), kind.messageType());
    ZoneId zone = profile.scheduleTimeZone();
    String start = Hl7Fields.dtm(a.start(), zone == null ? a.timeZone() : zone);
    String end = Hl7Fields.dtm(a.end(), zone == null ? a.timeZone() : zone);
    String minutes = Long.toString(Duration.between(a.start(), a.end()).toMinutes());
    String status = fillerStatus(kind);
    EhrProfile.Segments segments = profile.segments();

    try {
      SIU_S12 siu = MessageAssembly.newMessage(SIU_S12::new);
      Hl7Fields.msh(siu.getMSH(), kind, controlId, profile, settings.environment, settings.clock);

      SCH sch = siu.getSCH();
      Hl7Fields.ei(sch.getPlacerAppointmentID(), a.id(), profile.authorities().placerAppointment());
      if (a.ehrId() != null && !a.ehrId().isBlank()) {
        Hl7Fields.ei(sch.getFillerAppointmentID(), a.ehrId(), profile.authorities().fillerAppointment());
      }
      Hl7Fields.ce(sch.getEventReason(), eventReason(profile, kind, event));
      Hl7Fields.ce(sch.getAppointmentReason(), codes.reason());
      Hl7Fields.ce(sch.getAppointmentType(), codes.typeFor(a.modality()));
      sch.getAppointmentDuration().setValue(minutes);
      Hl7Fields.ce(sch.getAppointmentDurationUnits(), profile.durationUnits());
      if (segments.timing() != EhrProfile.Timing.TQ1) {
        TQ tq = sch.getAppointmentTimingQuantity(0);
        tq.getStartDateTime().getTime().setValue(start);
        tq.getEndDateTime().getTime().setValue(end);
      }
      sch.getFillerStatusCode().getIdentifier().setValue(status);

      if (segments.timing() != EhrProfile.Timing.SCH11) {
        TQ1 tq1 = siu.getTQ1();
        tq1.getSetIDTQ1().setValue("1");
        tq1.getServiceDuration().getQuantity().setValue(minutes);
        Hl7Fields.ce(tq1.getServiceDuration().getUnits(), profile.durationUnits());
        tq1.getStartDateTime().getTime().setValue(start);
        tq1.getEndDateTime().getTime().setValue(end);
      }

      if (segments.notes()) {
        int n = 0;
        n = note(siu, n, a.reason(), VISIT_REASON_NOTE);
        if (kind == MessageKind.SIU_S15) {
          note(siu, n, event.cancellationReason(), CANCEL_REASON_NOTE);
        }
      }

      SIU_S12_PATIENT patient = siu.getPATIENT();
      Hl7Fields.pid(patient.getPID(), event.patient(), identifiers, profile);
      if (segments.pv1()) {
        Hl7Fields.pv1(patient.getPV1(), "O", profile.virtualLocation());
      }

      SIU_S12_RESOURCES resources = siu.getRESOURCES();
      resources.getRGS().getSetIDRGS().setValue("1");
      if (segments.ais()) {
        AIS ais = resources.getSERVICE().getAIS();
        ais.getSetIDAIS().setValue("1");
        Hl7Fields.ce(ais.getUniversalServiceIdentifier(), codes.serviceFor(a.modality()));
        ais.getStartDateTime().getTime().setValue(start);
        ais.getDuration().setValue(minutes);
        Hl7Fields.ce(ais.getDurationUnits(), profile.durationUnits());
        ais.getFillerStatusCode().getIdentifier().setValue(status);
      }
      if (segments.ail() && profile.virtualLocation() != null) {
        AIL ail = resources.getLOCATION_RESOURCE().getAIL();
        ail.getSetIDAIL().setValue("1");
        Hl7Fields.pl(ail.getLocationResourceID(0), profile.virtualLocation());
        Hl7Fields.ce(ail.getLocationTypeAIL(), profile.virtualLocation().type());
        ail.getStartDateTime().getTime().setValue(start);
        ail.getDuration().setValue(minutes);
        Hl7Fields.ce(ail.getDurationUnits(), profile.durationUnits());
        ail.getFillerStatusCode().getIdentifier().setValue(status);
      }
      if (segments.aip()) {
        AIP aip = resources.getPERSONNEL_RESOURCE().getAIP();
        aip.getSetIDAIP().setValue("1");
        ProviderIds.fill(personnel, aip::getPersonnelResourceID);
        Hl7Fields.ce(aip.getResourceType(), profile.providers().role());
        aip.getStartDateTime().getTime().setValue(start);
        aip.getDuration().setValue(minutes);
        Hl7Fields.ce(aip.getDurationUnits(), profile.durationUnits());
        aip.getFillerStatusCode().getIdentifier().setValue(status);
      }
      return settings.encode(event, siu, kind, controlId);
    } catch (HL7Exception e) {
      throw settings.refused(event, kind, e);
    }
  }

  private static int note(SIU_S12 siu, int index, String text, EhrProfile.Coded type) throws HL7Exception {
    if (text == null || text.isBlank()) {
      return index;
    }
    NTE nte = siu.getNTE(index);
    nte.getSetIDNTE().setValue(Integer.toString(index + 1));
    nte.getSourceOfComment().setValue("P");
    nte.getComment(0).setValue(text);
    Hl7Fields.ce(nte.getCommentType(), type);
    return index + 1;
  }

  static String fillerStatus(MessageKind kind) {
    return switch (kind) {
      case SIU_S15 -> "Cancelled";
      case SIU_S26 -> "Noshow";
      default -> "Booked";
    };
  }

  private static EhrProfile.Coded eventReason(EhrProfile profile, MessageKind kind, PlatformEvent event) {
    String key = switch (kind) {
      case SIU_S12 -> "booked";
      case SIU_S13 -> event.type() == io.telebridge.core.model.EventType.APPOINTMENT_RESCHEDULED
          && !timeChanged(event) ? "modified" : "rescheduled";
      case SIU_S14 -> "modified";
      case SIU_S15 -> "cancelled";
      case SIU_S26 -> "no_show";
      default -> throw new IllegalArgumentException(kind + " is not an SIU message");
    };
    if (kind == MessageKind.SIU_S15 && event.cancelledBy() != null) {
      EhrProfile.Coded byWhom = profile.eventReasons().get("cancelled." + event.cancelledBy());
      if (byWhom != null) {
        return byWhom;
      }
    }
    return profile.eventReasons().get(key);
  }

  /** Whether a rescheduled event moved the start or the end (else it changed details only). */
  static boolean timeChanged(PlatformEvent event) {
    Appointment a = event.appointment();
    if (event.previousStart() == null || event.previousEnd() == null || a == null) {
      return true;
    }
    return !(event.previousStart().isEqual(a.start()) && event.previousEnd().isEqual(a.end()));
  }

  private static EhrProfile.VisitTypeCodes visitTypeCodes(EhrProfile profile, PlatformEvent event, Appointment a) {
    EhrProfile.VisitTypeCodes codes = a.visitType() == null ? null : profile.visitTypes().get(a.visitType());
    if (codes == null && profile.defaultVisitType() != null) {
      codes = profile.visitTypes().get(profile.defaultVisitType());
    }
    if (codes == null) {
      throw new UntranslatableEventException("event " + event.eventId() + ": visit type " + a.visitType()
          + " is not mapped in EHR profile " + profile.id() + " (visitTypes)");
    }
    return codes;
  }

  /** AIP-3 repetitions: the EHR provider id, then the NPI. */
  private static List<ProviderIds.Id> personnelIds(EhrProfile profile, PlatformEvent event, Provider provider) {
    if (provider == null || provider.id() == null) {
      throw new UntranslatableEventException("event " + event.eventId() + ": the appointment has no provider");
    }
    return ProviderIds.of(profile, event, provider);
  }
}
