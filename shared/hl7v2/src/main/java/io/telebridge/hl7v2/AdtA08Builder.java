package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;

/**
 * ADT^A08 "update patient information" (structure ADT_A01), or ADT^A31 "update person" (ADT_A05) when the profile's {@code variants.update} is A31. MSH, EVN, PID with the full demographics snapshot, PV1. The event must carry demographics.
 *
 * <p>Build one per (profile, environment) and reuse it; thread-safe. {@code patientIdentifiers} go to
 * PID-3 in the order given (EHR MRN(s) when known, then the platform id under the platform
 * authority: see {@link EhrProfile#mrn} and {@link EhrProfile#platformIdentifier}); null or empty
 * means the platform id alone. MSH-10 is {@link ControlIds#of} (tenant, event id, message type).
 */
public final class AdtA08Builder {

  private final MessageAssembly settings;

  public AdtA08Builder(EhrProfile profile, String environment, Clock clock) {
    this.settings = new MessageAssembly(profile, environment, clock);
  }

  /** The message type this builder emits with its profile, e.g. {@code ADT^A08}. */
  public MessageKind kind() {
    return settings.profile.variants().update() == EhrProfile.UpdateEvent.A31 ? MessageKind.ADT_A31 : MessageKind.ADT_A08;
  }

  /**
   * Builds the message.
   *
   * @throws UntranslatableEventException when the event lacks what the message needs or the profile
   *     does not map one of its codes (the message names ids and codes, never patient data)
   */
  public OutboundHl7 build(PlatformEvent event, List<Identifier> patientIdentifiers) {
    return AdtMessages.build(settings, kind(), event, patientIdentifiers);
  }
}
