package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;

/**
 * DFT^P03 "post detail financial transaction": the charges of a visit, one FT1 each, and their diagnoses (DG1) in rank order. Segments as {@link DftMessages} describes.
 *
 * <p>Build one per (profile, environment) and reuse it; thread-safe. {@code patientIdentifiers} go to
 * PID-3 in the order given (EHR MRN(s) when known, then the platform id); null or empty means the
 * platform id alone. MSH-10 is {@link ControlIds#of} (tenant, event id, message type).
 */
public final class DftP03Builder {

  private final MessageAssembly settings;

  public DftP03Builder(EhrProfile profile, String environment, Clock clock) {
    this.settings = new MessageAssembly(profile, environment, clock);
  }

  /** The message type this builder emits with its profile. */
  public MessageKind kind() {
    return MessageKind.DFT_P03;
  }

  /**
   * Builds the message.
   *
   * @throws UntranslatableEventException when the event lacks what the message needs or the profile
   *     does not map one of its codes (the message names ids and codes, never patient data)
   */
  public OutboundHl7 build(PlatformEvent event, List<Identifier> patientIdentifiers) {
    return DftMessages.build(settings, kind(), event, patientIdentifiers);
  }
}
