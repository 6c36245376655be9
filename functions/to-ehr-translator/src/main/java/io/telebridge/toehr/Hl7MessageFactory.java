package io.telebridge.toehr;

import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.EhrMessageFactory;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.hl7v2.EhrMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The {@link EhrMessageFactory} port on the HL7 v2 builders of shared/hl7v2, for one EHR profile: registration,
 * scheduling and the visit flows (note → MDM, orders → ORM/OML, charges → DFT). A FHIR writer for profiles
 * that say FHIR is another implementation of the same port (not built yet).
 */
final class Hl7MessageFactory implements EhrMessageFactory {

  private final EhrProfile profile;
  private final EhrMessages messages;

  Hl7MessageFactory(EhrProfile profile, String environment, Clock clock) {
    this.profile = profile;
    this.messages = new EhrMessages(profile, environment, clock);
  }

  /** A profile by name from the jar ({@code ehr-profiles/<name>.yaml}) or by file path. */
  static Hl7MessageFactory load(String profile, String environment, Clock clock) {
    Path file = Path.of(profile);
    EhrProfile loaded = profile.contains("/") && Files.isRegularFile(file)
        ? EhrProfile.load(file)
        : EhrProfile.fromClasspath("ehr-profiles/" + profile + (profile.endsWith(".yaml") ? "" : ".yaml"));
    return new Hl7MessageFactory(loaded, environment, clock);
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
