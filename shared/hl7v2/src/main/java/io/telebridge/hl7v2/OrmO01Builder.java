package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;

/**
 * ORM^O01 "general order", or OML^O21 "laboratory order" when the profile's {@code orders.message} is OML_O21: the orders of a visit, placed (ORC-1 NW) or cancelled (CA). Segments as {@link OrderMessages} describes.
 *
 * <p>Build one per (profile, environment) and reuse it; thread-safe. {@code patientIdentifiers} go to
 * PID-3 in the order given (EHR MRN(s) when known, then the platform id); null or empty means the
 * platform id alone. MSH-10 is {@link ControlIds#of} (tenant, event id, message type).
 */
public final class OrmO01Builder {

  private final MessageAssembly settings;

  public OrmO01Builder(EhrProfile profile, String environment, Clock clock) {
    this.settings = new MessageAssembly(profile, environment, clock);
  }

  /** The message type this builder emits with its profile. */
  public MessageKind kind() {
    return OrderMessages.kindFor(settings.profile);
  }

  /**
   * Builds the messages: one ORM^O01 with every order of the event, or one OML^O21 per order.
   *
   * @throws UntranslatableEventException when the event lacks what the message needs or the profile
   *     does not map one of its codes (the message names ids and codes, never patient data)
   */
  public List<OutboundHl7> build(PlatformEvent event, List<Identifier> patientIdentifiers) {
    return OrderMessages.build(settings, kind(), event, patientIdentifiers);
  }
}
