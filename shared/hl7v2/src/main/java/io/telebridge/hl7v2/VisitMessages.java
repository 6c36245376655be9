package io.telebridge.hl7v2;

import io.telebridge.core.model.EventType;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.VisitNote;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The translation entry point after the visit: one {@code visit.*} event → the HL7 v2 messages for the
 * EHR, in the order they must reach it.
 *
 * <table>
 *   <caption>event → messages (variants from the profile)</caption>
 *   <tr><th>event</th><th>known patient</th><th>new patient ({@code patientIsNew})</th></tr>
 *   <tr><td>visit.note_signed, status signed</td><td>MDM^T02</td><td>A04 (A28), MDM^T02</td></tr>
 *   <tr><td>visit.note_signed, status amended</td><td>MDM^T08 (T10)</td><td>A04 (A28), MDM^T08 (T10)</td></tr>
 *   <tr><td>visit.note_signed, status retracted</td><td>MDM^T11</td><td>A04 (A28), MDM^T11</td></tr>
 *   <tr><td>visit.orders_placed</td><td>ORM^O01 (OML^O21 per order)</td><td>A04 (A28), ORM^O01 (OML^O21 per order)</td></tr>
 *   <tr><td>visit.charges_posted</td><td>DFT^P03</td><td>A04 (A28), DFT^P03</td></tr>
 * </table>
 *
 * <p>A visit event of a patient the EHR has no chart for registers the patient first from the event's
 * demographics, as a booking does; visit events usually carry the platform id only, so such an event is
 * {@link UntranslatableEventException refused} (the identity step parks a first-sight patient without
 * demographics for review before it gets here). {@link #plan} is the seam for other writers of the same
 * events (a FHIR writer plans Encounter, DocumentReference, ServiceRequest, ChargeItem for them).
 */
public final class VisitMessages {

  private static final Set<EventType> SUPPORTED =
      EnumSet.of(EventType.VISIT_NOTE_SIGNED, EventType.VISIT_ORDERS_PLACED, EventType.VISIT_CHARGES_POSTED);

  private final EhrProfile profile;
  private final AdtA04Builder register;
  private final MdmT02Builder noteSigned;
  private final MdmT08Builder noteAmended;
  private final MdmT11Builder noteRetracted;
  private final OrmO01Builder orders;
  private final DftP03Builder charges;

  /** Build once per (profile, environment) and reuse; thread-safe. */
  public VisitMessages(EhrProfile profile, String environment, Clock clock) {
    this.profile = profile;
    this.register = new AdtA04Builder(profile, environment, clock);
    this.noteSigned = new MdmT02Builder(profile, environment, clock);
    this.noteAmended = new MdmT08Builder(profile, environment, clock);
    this.noteRetracted = new MdmT11Builder(profile, environment, clock);
    this.orders = new OrmO01Builder(profile, environment, clock);
    this.charges = new DftP03Builder(profile, environment, clock);
  }

  /** One-shot form of {@link #forEvent(PlatformEvent, List, boolean)}. */
  public static List<OutboundHl7> forEvent(
      PlatformEvent event, List<Identifier> pid3, boolean patientIsNew, EhrProfile profile, String environment, Clock clock) {
    return new VisitMessages(profile, environment, clock).forEvent(event, pid3, patientIsNew);
  }

  /** Whether {@link #forEvent} translates this event type. */
  public static boolean supports(EventType type) {
    return SUPPORTED.contains(type);
  }

  /**
   * The messages for one event, in sending order.
   *
   * @param pid3 PID-3 identifiers (EHR MRN(s) when known, and the platform id); null or empty: the platform id alone
   * @param patientIsNew the identity store did not know the patient: register it first
   * @throws UntranslatableEventException the event cannot be translated for this profile (unmapped code,
   *     provider or note type; a new patient without demographics)
   * @throws IllegalArgumentException the event type is not a visit event
   */
  public List<OutboundHl7> forEvent(PlatformEvent event, List<Identifier> pid3, boolean patientIsNew) {
    List<MessageKind> plan = plan(event, patientIsNew);
    List<OutboundHl7> out = new ArrayList<>(plan.size());
    MessageKind previous = null;
    for (MessageKind kind : plan) {
      switch (kind) {
        case ADT_A04, ADT_A28 -> out.add(register.build(event, pid3));
        case MDM_T02 -> out.add(noteSigned.build(event, pid3));
        case MDM_T08, MDM_T10 -> out.add(noteAmended.build(event, pid3));
        case MDM_T11 -> out.add(noteRetracted.build(event, pid3));
        case ORM_O01, OML_O21 -> {
          if (kind != previous) { // one plan entry per OML^O21 message, all built at once
            out.addAll(orders.build(event, pid3));
          }
        }
        case DFT_P03 -> out.add(charges.build(event, pid3));
        default -> throw new IllegalStateException("unreachable: " + kind);
      }
      previous = kind;
    }
    return List.copyOf(out);
  }

  /** The message types {@link #forEvent} would emit, in order, without building them. */
  public List<MessageKind> plan(PlatformEvent event, boolean patientIsNew) {
    if (!supports(event.type())) {
      throw new IllegalArgumentException(
          "event " + event.eventId() + ": " + event.type().wireName() + " is not a visit event");
    }
    List<MessageKind> plan = new ArrayList<>(2);
    if (patientIsNew) {
      plan.add(register.kind());
    }
    plan.add(switch (event.type()) {
      case VISIT_NOTE_SIGNED -> {
        VisitNote note = event.visit() == null ? null : event.visit().note();
        yield note == null ? noteSigned.kind() : MdmMessages.kindFor(profile, note);
      }
      case VISIT_ORDERS_PLACED -> orders.kind();
      case VISIT_CHARGES_POSTED -> charges.kind();
      default -> throw new IllegalStateException("unreachable: " + event.type());
    });
    if (plan.get(plan.size() - 1) == MessageKind.OML_O21 && event.visit() != null) {
      for (int i = 1; i < event.visit().orders().size(); i++) {
        plan.add(MessageKind.OML_O21); // one OML^O21 per order
      }
    }
    return plan;
  }
}
