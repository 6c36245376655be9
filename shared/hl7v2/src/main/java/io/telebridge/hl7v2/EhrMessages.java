package io.telebridge.hl7v2;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.List;

/**
 * Every event type the to-EHR flow carries → its HL7 v2 messages for one EHR profile: registration and
 * scheduling through {@link SchedulingMessages}, the note, orders and charges through {@link VisitMessages}.
 * Build once per (profile, environment); thread-safe.
 */
public final class EhrMessages {

  private final SchedulingMessages scheduling;
  private final VisitMessages visits;

  public EhrMessages(EhrProfile profile, String environment, Clock clock) {
    this.scheduling = new SchedulingMessages(profile, environment, clock);
    this.visits = new VisitMessages(profile, environment, clock);
  }

  /**
   * The messages for one event, in sending order (a new patient's registration first).
   *
   * @throws UntranslatableEventException the event cannot be expressed for this profile
   */
  public List<OutboundHl7> forEvent(PlatformEvent event, List<Identifier> pid3, boolean patientIsNew) {
    return VisitMessages.supports(event.type())
        ? visits.forEvent(event, pid3, patientIsNew)
        : scheduling.forEvent(event, pid3, patientIsNew);
  }

  /** The message types {@link #forEvent} would emit, in order, without building them. */
  public List<MessageKind> plan(PlatformEvent event, boolean patientIsNew) {
    return VisitMessages.supports(event.type()) ? visits.plan(event, patientIsNew) : scheduling.plan(event, patientIsNew);
  }
}
