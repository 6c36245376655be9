package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.AbstractMessage;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** What every builder shares: its settings, the PID-3 default, encoding and error translation. */
final class MessageAssembly {

  final EhrProfile profile;
  final String environment;
  final Clock clock;

  MessageAssembly(EhrProfile profile, String environment, Clock clock) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** PID-3 as given; when none are given, the platform id under the platform authority. */
  List<Identifier> identifiers(PlatformEvent event, List<Identifier> given) {
    if (given != null && !given.isEmpty()) {
      for (Identifier id : given) {
        if (id == null || id.value() == null || id.value().isBlank()) {
          throw new UntranslatableEventException(
              "event " + event.eventId() + ": a PID-3 identifier has no value");
        }
      }
      return given;
    }
    return List.of(profile.platformIdentifier(event.patient().platformPatientId()));
  }

  /**
   * A new outbound message of one structure ({@code MDM_T02::new}), on the outbound context's model and
   * parser: how every builder starts its message.
   */
  static <M extends AbstractMessage> M newMessage(Function<ModelClassFactory, M> structure) {
    M message = structure.apply(Hl7Context.outbound().getModelClassFactory());
    message.setParser(Hl7Context.outboundParser());
    return message;
  }

  static void requireEvent(PlatformEvent event) {
    Objects.requireNonNull(event, "event");
    if (event.patient() == null || event.patient().platformPatientId() == null) {
      throw new UntranslatableEventException("event " + event.eventId() + ": no platform patient id");
    }
  }

  OutboundHl7 encode(PlatformEvent event, Message message, MessageKind kind, String controlId) throws HL7Exception {
    String er7 = Hl7Context.outboundParser().encode(message);
    if (!Hl7Text.canEncode(er7, profile.charset())) {
      throw new UntranslatableEventException("event " + event.eventId() + ": " + kind.messageType() + " for EHR profile "
          + profile.id() + " has characters that " + profile.charset().name() + " (MSH-18) cannot carry");
    }
    return new OutboundHl7(controlId, kind.messageType(), er7);
  }

  /** HAPI's messages can quote the value that failed: keep the location and the code only. */
  UntranslatableEventException refused(PlatformEvent event, MessageKind kind, HL7Exception e) {
    StringBuilder m = new StringBuilder()
        .append("event ").append(event.eventId())
        .append(": ").append(kind.messageType())
        .append(" for EHR profile ").append(profile.id())
        .append(" fails HL7 validation");
    if (e.getLocation() != null) {
      m.append(" at ").append(e.getLocation());
    }
    m.append(" (").append(e.getClass().getSimpleName()).append(", HL7 error ").append(e.getErrorCode()).append(")");
    return new UntranslatableEventException(m.toString());
  }
}
