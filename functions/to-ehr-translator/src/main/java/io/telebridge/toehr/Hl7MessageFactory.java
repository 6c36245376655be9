package io.telebridge.toehr;

import io.telebridge.core.identity.Resolution;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.EhrMessageFactory;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.hl7v2.UntranslatableEventException;
import io.telebridge.hl7v2.EhrMessages;
import java.time.Clock;
import java.util.List;

/**
 * The {@link EhrMessageFactory} port on the HL7 v2 builders of shared/hl7v2, for one EHR profile: registration,
 * scheduling and the visit flows (note → MDM, orders → ORM/OML, charges → DFT). A FHIR writer for profiles
 * that say FHIR ({@code fhir.visitRecord}) is wired beside it ({@link TranslatorWiring#visitRecords}); for
 * {@code fhir} alone the visit events get no HL7 message here.
 */
final class Hl7MessageFactory implements EhrMessageFactory {

  /**
   * What one message may weigh inline on the to-EHR queue: SQS takes 262,144 bytes of body and
   * attributes; the rest is left for the attributes. A larger message (a long note: one TX OBX per line
   * roughly doubles a short-lined text) goes through the S3 claim check ({@link
   * io.telebridge.core.claimcheck.ClaimCheckedOutbox}); without a claim-check bucket it is refused with its
   * reason rather than failing SendMessage on every retry.
   */
  static final int MAX_INLINE_BYTES = 256_000;

  private final EhrProfile profile;
  private final EhrMessages messages;
  private final boolean claimCheck;

  Hl7MessageFactory(EhrProfile profile, String environment, Clock clock) {
    this(profile, new EhrMessages(profile, environment, clock), false);
  }

  private Hl7MessageFactory(EhrProfile profile, EhrMessages messages, boolean claimCheck) {
    this.profile = profile;
    this.messages = messages;
    this.claimCheck = claimCheck;
  }

  /** The same factory when large messages travel by claim check: only the EHR profile's maximum applies. */
  Hl7MessageFactory withClaimCheck() {
    return new Hl7MessageFactory(profile, messages, true);
  }

  /** A profile by name from the jar ({@code ehr-profiles/<name>.yaml}) or by file path. */
  static Hl7MessageFactory load(String profile, String environment, Clock clock) {
    return new Hl7MessageFactory(EhrProfile.fromSetting(profile), environment, clock);
  }

  EhrProfile profile() {
    return profile;
  }

  /** The assigning authority under which PID-3 carries the platform's patient id. */
  String platformAuthority() {
    return profile.authorities().platform().namespaceId();
  }

  @Override
  public List<OutboundMessage> messagesFor(PlatformEvent event, Resolution patient) {
    if (!profile.fhir().writesHl7() && io.telebridge.hl7v2.VisitMessages.supports(event.type())) {
      return List.of(); // fhir.visitRecord fhir: the visit goes into the record over FHIR R4 only (TranslatorWiring)
    }
    List<OutboundMessage> out = messages.forEvent(event, patient.identifiers(), patient.newPatient()).stream()
        .map(m -> new OutboundMessage(m.controlId(), m.messageType(), m.payload()))
        .toList();
    for (OutboundMessage m : out) {
      // the bytes as sent: the profile's character set (MSH-18), as the bridge will encode it
      int bytes = m.payload().getBytes(profile.charset()).length;
      if (bytes > profile.maxMessageBytes()) {
        throw new UntranslatableEventException("event " + event.eventId() + ": " + m.messageType() + " is " + bytes
            + " bytes, over the EHR profile's maximum message size of " + profile.maxMessageBytes() + " bytes ("
            + profile.id() + " maxMessageBytes)");
      }
      if (!claimCheck && m.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_INLINE_BYTES) {
        throw new UntranslatableEventException("event " + event.eventId() + ": " + m.messageType() + " is " + bytes
            + " bytes, over the " + MAX_INLINE_BYTES + " a to-EHR queue message may carry, and no claim check"
            + " (PAYLOAD_BUCKET is not set)");
      }
    }
    return out;
  }
}
