package io.telebridge.hl7v2;

import io.telebridge.core.model.EventType;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The translation entry point for scheduling and registration: one platform event → the HL7 v2
 * messages for the EHR, in the order they must reach it.
 *
 * <table>
 *   <caption>event → messages (variants from the profile)</caption>
 *   <tr><th>event</th><th>known patient</th><th>new patient ({@code patientIsNew})</th></tr>
 *   <tr><td>patient.registered</td><td>A08 (A31)</td><td>A04 (A28)</td></tr>
 *   <tr><td>patient.updated</td><td>A08 (A31)</td><td>A04 (A28)</td></tr>
 *   <tr><td>appointment.booked</td><td>S12</td><td>A04 (A28), S12</td></tr>
 *   <tr><td>appointment.rescheduled, new time</td><td>S13</td><td>A04 (A28), S13</td></tr>
 *   <tr><td>appointment.rescheduled, same start and end</td><td>S14 (S13)</td><td>A04 (A28), S14 (S13)</td></tr>
 *   <tr><td>appointment.cancelled</td><td>S15</td><td>A04 (A28), S15</td></tr>
 *   <tr><td>appointment.no_show</td><td>S26</td><td>A04 (A28), S26</td></tr>
 * </table>
 *
 * <p>{@code patient.registered} registers (A04/A28) only a patient who has no chart in the EHR yet; for
 * a patient the identity index already links to a chart (a platform account opened for someone the
 * EHR knows, or a second registration of a patient telebridge registered before) it sends the
 * profile's update (A08/A31), so the EHR never gets a second registration for one chart. A
 * redelivered registration stays "new" (the resolver knows the event that registered the patient),
 * so it repeats the same A04 with the same MSH-10, which the queue and the EHR deduplicate. A new patient on an appointment event
 * is registered from that event's demographics; if it carries none (only {@code appointment.booked}
 * must), the event is {@link UntranslatableEventException refused}. {@code visit.*} events are not
 * scheduling events: {@link #supports} says so and {@link #forEvent} refuses them with an
 * {@link IllegalArgumentException}.
 */
public final class SchedulingMessages {

  private static final Set<EventType> SUPPORTED = EnumSet.of(
      EventType.PATIENT_REGISTERED,
      EventType.PATIENT_UPDATED,
      EventType.APPOINTMENT_BOOKED,
      EventType.APPOINTMENT_RESCHEDULED,
      EventType.APPOINTMENT_CANCELLED,
      EventType.APPOINTMENT_NO_SHOW);

  private final AdtA04Builder register;
  private final AdtA08Builder update;
  private final SiuS12Builder booked;
  private final SiuS13Builder rescheduled;
  private final SiuS14Builder modified;
  private final SiuS15Builder cancelled;
  private final SiuS26Builder noShow;

  /** Build once per (profile, environment) and reuse; thread-safe. */
  public SchedulingMessages(EhrProfile profile, String environment, Clock clock) {
    this.register = new AdtA04Builder(profile, environment, clock);
    this.update = new AdtA08Builder(profile, environment, clock);
    this.booked = new SiuS12Builder(profile, environment, clock);
    this.rescheduled = new SiuS13Builder(profile, environment, clock);
    this.modified = new SiuS14Builder(profile, environment, clock);
    this.cancelled = new SiuS15Builder(profile, environment, clock);
    this.noShow = new SiuS26Builder(profile, environment, clock);
  }

  /** One-shot form of {@link #forEvent(PlatformEvent, List, boolean)}. */
  public static List<OutboundHl7> forEvent(
      PlatformEvent event, List<Identifier> pid3, boolean patientIsNew, EhrProfile profile, String environment, Clock clock) {
    return new SchedulingMessages(profile, environment, clock).forEvent(event, pid3, patientIsNew);
  }

  /** Whether {@link #forEvent} translates this event type. */
  public static boolean supports(EventType type) {
    return SUPPORTED.contains(type);
  }

  /**
   * The messages for one event, in sending order.
   *
   * @param pid3 PID-3 identifiers (EHR MRN(s) when known, and the platform id); null or empty: the
   *     platform id alone
   * @param patientIsNew the identity store did not know the patient: register it first
   * @throws UntranslatableEventException the event cannot be translated for this profile (unmapped
   *     code, missing demographics for a registration)
   * @throws IllegalArgumentException the event type is not a scheduling or registration event
   */
  public List<OutboundHl7> forEvent(PlatformEvent event, List<Identifier> pid3, boolean patientIsNew) {
    List<MessageKind> plan = plan(event, patientIsNew);
    List<OutboundHl7> out = new ArrayList<>(plan.size());
    for (MessageKind kind : plan) {
      out.add(builderFor(event, kind).apply(event, pid3));
    }
    return List.copyOf(out);
  }

  /** The message types {@link #forEvent} would emit, in order, without building them. */
  public List<MessageKind> plan(PlatformEvent event, boolean patientIsNew) {
    if (!supports(event.type())) {
      throw new IllegalArgumentException(
          "event " + event.eventId() + ": " + event.type().wireName() + " is not a scheduling or registration event");
    }
    List<MessageKind> plan = new ArrayList<>(2);
    switch (event.type()) {
      case PATIENT_REGISTERED, PATIENT_UPDATED -> plan.add(patientIsNew ? register.kind() : update.kind());
      default -> {
        if (patientIsNew) {
          plan.add(register.kind());
        }
        plan.add(switch (event.type()) {
          case APPOINTMENT_BOOKED -> booked.kind();
          case APPOINTMENT_RESCHEDULED -> SiuMessages.timeChanged(event) ? rescheduled.kind() : modified.kind();
          case APPOINTMENT_CANCELLED -> cancelled.kind();
          case APPOINTMENT_NO_SHOW -> noShow.kind();
          default -> throw new IllegalStateException("unreachable: " + event.type());
        });
      }
    }
    return plan;
  }

  private interface Build {
    OutboundHl7 apply(PlatformEvent event, List<Identifier> pid3);
  }

  private Build builderFor(PlatformEvent event, MessageKind kind) {
    return switch (kind) {
      case ADT_A04, ADT_A28 -> register::build;
      case ADT_A08, ADT_A31 -> update::build;
      case SIU_S12 -> booked::build;
      case SIU_S13 -> event.type() == EventType.APPOINTMENT_RESCHEDULED && !SiuMessages.timeChanged(event)
          ? modified::build
          : rescheduled::build;
      case SIU_S14 -> modified::build;
      case SIU_S15 -> cancelled::build;
      case SIU_S26 -> noShow::build;
      default -> throw new IllegalArgumentException(kind + " is not a scheduling or registration message");
    };
  }
}
