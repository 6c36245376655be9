package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;

/**
 * ADT^A04 "register a patient" (structure ADT_A01), or ADT^A28 "add person" (ADT_A05) when the profile's {@code variants.registration} is A28. MSH, EVN, PID (identifiers and demographics), PV1 (PV1-2 O, or N for A28). The event must carry demographics.
 *
 * <p>Build one per (profile, environment) and reuse it; thread-safe. {@code patientIdentifiers} go to
 * PID-3 in the order given (EHR MRN(s) when known, then the platform id under the platform
 * authority: see {@link EhrProfile#mrn} and {@link EhrProfile#platformIdentifier}); null or empty
 * means the platform id alone. MSH-10 is {@link ControlIds#of} (tenant, event id, message type).
 */
public final class AdtA04Builder {

  private final MessageAssembly settings;

  public AdtA04Builder(EhrProfile profile, String environment, Clock clock) {
    this.settings = new MessageAssembly(profile, environment, clock);
  }

  /** The message type this builder emits with its profile, e.g. {@code ADT^A04}. */
  public MessageKind kind() {
    return settings.profile.variants().registration() == EhrProfile.RegistrationEvent.A28 ? MessageKind.ADT_A28 : MessageKind.ADT_A04;
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
