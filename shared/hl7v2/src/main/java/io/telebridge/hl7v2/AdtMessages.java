package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.AbstractMessage;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ADT_A05;
import ca.uhn.hl7v2.model.v251.segment.EVN;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.util.List;

/**
 * ADT registration and update messages: MSH, EVN, PID, PV1.
 *
 * <ul>
 *   <li>A04 / A08 (structure ADT_A01): PV1-2 {@code O} (outpatient), PV1-3 the virtual location when
 *       the profile has one;
 *   <li>A28 / A31 (structure ADT_A05, person-level, no visit): PV1 is required by the structure and
 *       carries PV1-2 {@code N} (not applicable), as HL7 v2.5.1 §3.3.28 says.
 * </ul>
 */
final class AdtMessages {

  private AdtMessages() {}

  static OutboundHl7 build(MessageAssembly settings, MessageKind kind, PlatformEvent event, List<Identifier> pid3) {
    MessageAssembly.requireEvent(event);
    if (!event.patient().hasDemographics()) {
      throw new UntranslatableEventException("event " + event.eventId() + " (" + event.type().wireName()
          + "): the patient has no demographics for " + kind.messageType());
    }
    List<Identifier> identifiers = settings.identifiers(event, pid3);
    String controlId = ControlIds.of(event.tenant(), event.eventId(), kind.messageType());
    EhrProfile profile = settings.profile;
    try {
      boolean visit = kind.structure().equals("ADT_A01");
      AbstractMessage message = visit ? MessageAssembly.newMessage(ADT_A01::new)
          : MessageAssembly.newMessage(ADT_A05::new);
      MSH msh = (MSH) message.get("MSH");
      EVN evn = (EVN) message.get("EVN");
      PID pid = (PID) message.get("PID");
      PV1 pv1 = (PV1) message.get("PV1");
      Hl7Fields.msh(msh, kind, controlId, profile, settings.environment, settings.clock);
      Hl7Fields.evn(evn, kind, event, profile);
      Hl7Fields.pid(pid, event.patient(), identifiers, profile);
      if (visit) {
        Hl7Fields.pv1(pv1, "O", profile.virtualLocation());
      } else {
        Hl7Fields.pv1(pv1, "N", null);
      }
      return settings.encode(event, message, kind, controlId);
    } catch (HL7Exception e) {
      throw settings.refused(event, kind, e);
    }
  }
}
