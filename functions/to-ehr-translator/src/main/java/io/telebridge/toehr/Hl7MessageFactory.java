package io.telebridge.toehr;

import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.EhrMessageFactory;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.hl7v2.SchedulingMessages;
import java.time.Clock;
import java.util.List;

/** The {@link EhrMessageFactory} port on the HL7 v2 builders of shared/hl7v2, for one EHR profile. */
final class Hl7MessageFactory implements EhrMessageFactory {

  private final EhrProfile profile;
  private final SchedulingMessages messages;

  Hl7MessageFactory(EhrProfile profile, String environment, Clock clock) {
    this.profile = profile;
    this.messages = new SchedulingMessages(profile, environment, clock);
  }

  /** A profile by name from the jar ({@code ehr-profiles/<name>.yaml}) or by file path. */
  static Hl7MessageFactory load(String profile, String environment, Clock clock) {
    return new Hl7MessageFactory(EhrProfile.named(profile), environment, clock);
  }

  /** The assigning authority under which PID-3 carries the platform's patient id. */
  String platformAuthority() {
    return profile.authorities().platform().namespaceId();
  }

  @Override
  public List<OutboundMessage> messagesFor(PlatformEvent event, Resolution patient) {
    return messages.forEvent(event, patient.identifiers(), patient.newPatient()).stream()
        .map(m -> new OutboundMessage(m.controlId(), m.messageType(), m.payload()))
        .toList();
  }
}
