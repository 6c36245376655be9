package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;

/**
 * SIU^S12 "new appointment booking": SCH-25 Booked. Segments as {@link SiuMessages} describes.
 *
 * <p>Build one per (profile, environment) and reuse it; thread-safe. {@code patientIdentifiers} go to
 * PID-3 in the order given (EHR MRN(s) when known, then the platform id under the platform
 * authority: see {@link EhrProfile#mrn} and {@link EhrProfile#platformIdentifier}); null or empty
 * means the platform id alone. MSH-10 is {@link ControlIds#of} (tenant, event id, message type).
 */
public final class SiuS12Builder {

  private final MessageAssembly settings;

  public SiuS12Builder(EhrProfile profile, String environment, Clock clock) {
    this.settings = new MessageAssembly(profile, environment, clock);
  }

  /** The message type this builder emits with its profile, e.g. {@code SIU^S12}. */
  public MessageKind kind() {
    return MessageKind.SIU_S12;
  }

  /**
   * Builds the message.
   *
   * @throws UntranslatableEventException when the event lacks what the message needs or the profile
   *     does not map one of its codes (the message names ids and codes, never patient data)
   */
  public OutboundHl7 build(PlatformEvent event, List<Identifier> patientIdentifiers) {
    return SiuMessages.build(settings, kind(), event, patientIdentifiers);
  }
}
