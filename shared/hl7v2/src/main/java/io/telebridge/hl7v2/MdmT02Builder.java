package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;

/**
 * MDM^T02 "original document notification and content": a signed note (structure MDM_T02). Segments as {@link MdmMessages} describes.
 *
 * <p>Build one per (profile, environment) and reuse it; thread-safe. {@code patientIdentifiers} go to
 * PID-3 in the order given (EHR MRN(s) when known, then the platform id); null or empty means the
 * platform id alone. MSH-10 is {@link ControlIds#of} (tenant, event id, message type).
 */
public final class MdmT02Builder {

  private final MessageAssembly settings;

  public MdmT02Builder(EhrProfile profile, String environment, Clock clock) {
    this.settings = new MessageAssembly(profile, environment, clock);
  }

  /** The message type this builder emits with its profile. */
  public MessageKind kind() {
    return MessageKind.MDM_T02;
  }

  /**
   * Builds the message.
   *
   * @throws UntranslatableEventException when the event lacks what the message needs or the profile
   *     does not map one of its codes (the message names ids and codes, never patient data)
   */
  public OutboundHl7 build(PlatformEvent event, List<Identifier> patientIdentifiers) {
    return MdmMessages.build(settings, kind(), event, patientIdentifiers);
  }
}
