package io.telebridge.core.toehr;

import io.telebridge.core.context.ScheduleContextPull;
import io.telebridge.core.fromehr.ReconcileAppointment;
import io.telebridge.core.identity.Resolution;
import io.telebridge.core.identity.PatientResolver;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Appointment;
import io.telebridge.core.model.EventType;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.FlowGate;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Use case: one platform event → the patient resolved → its EHR messages on the to-EHR queue, in
 * order. Safe to repeat: control ids are deterministic, so a redelivered event yields the same
 * messages, which the FIFO queue (and the EHR, by MSH-10) deduplicates. Every {@link
 * io.telebridge.core.model.EventType} (the one set of webhook event types) has a flow; the message
 * factory may still refuse one it cannot express for its EHR profile ({@code RejectedException}).
 */
public final class TranslateToEhr {

  private static final System.Logger LOG = System.getLogger(TranslateToEhr.class.getName());

  private final PatientResolver resolvePatient;
  private final EhrMessageFactory messages;
  private final EhrOutbox outbox;
  private final ReconcileAppointment appointments;
  private final FlowGate gate;
  private final ScheduleContextPull contextPulls;
  private final VisitRecordWrites records;

  public TranslateToEhr(PatientResolver resolvePatient, EhrMessageFactory messages, EhrOutbox outbox) {
    this(resolvePatient, messages, outbox, null);
  }

  public TranslateToEhr(PatientResolver resolvePatient, EhrMessageFactory messages, EhrOutbox outbox,
      ReconcileAppointment appointments) {
    this(resolvePatient, messages, outbox, appointments, FlowGate.allOn(), null, VisitRecordWrites.NONE);
  }

  /**
   * @param appointments where the appointment changes pushed to the EHR are recorded for the conflict
   *     rule of the return path (so the EHR's echo is recognised); null: not recorded
   * @param gate each message's flow switch: a message of a flow that is off or in shadow is built (and,
   *     in shadow, kept) but not queued, and an appointment whose SIU was held back is not recorded as
   *     pushed (the EHR's own message about it is then not taken for an echo); a visit event's FHIR write
   *     happens only when its flow is on
   */
  public TranslateToEhr(PatientResolver resolvePatient, EhrMessageFactory messages, EhrOutbox outbox,
      ReconcileAppointment appointments, FlowGate gate) {
    this(resolvePatient, messages, outbox, appointments, gate, null, VisitRecordWrites.NONE);
  }

  /** As the full constructor, every flow on, no context pulls. */
  public TranslateToEhr(PatientResolver resolvePatient, EhrMessageFactory messages, EhrOutbox outbox,
      ReconcileAppointment appointments, VisitRecordWrites records) {
    this(resolvePatient, messages, outbox, appointments, FlowGate.allOn(), null, records);
  }

  /**
   * @param contextPulls keeps each appointment's pre-visit context pull in step (booked/rescheduled:
   *     scheduled, cancelled/no-show: deleted) after its messages are queued; null: no pulls
   * @param records the visit events its tenant's profile records over FHIR R4, written before the event's
   *     HL7 messages are built and queued
   */
  public TranslateToEhr(PatientResolver resolvePatient, EhrMessageFactory messages, EhrOutbox outbox,
      ReconcileAppointment appointments, FlowGate gate, ScheduleContextPull contextPulls, VisitRecordWrites records) {
    this.resolvePatient = resolvePatient;
    this.messages = messages;
    this.outbox = outbox;
    this.appointments = appointments;
    this.gate = gate;
    this.contextPulls = contextPulls;
    this.records = records == null ? VisitRecordWrites.NONE : records;
  }

  /** A live event (not a replay from a review case). */
  public List<OutboundMessage> translate(PlatformEvent event, String rawEvent) {
    return translate(event, rawEvent, null);
  }

  /**
   * @param rawEvent the event's JSON, parked as is if its patient needs review
   * @param resumedFromCase the review case this event is replayed from, or {@code null}
   * @return the messages built (none when the event was parked for review), queued or, when their flow is
   *     off or in shadow, journaled as held back by the {@link FlowGate}
   */
  public List<OutboundMessage> translate(PlatformEvent event, String rawEvent, String resumedFromCase) {
    return handle(event, rawEvent, resumedFromCase).messages();
  }

  /**
   * What one event became: the HL7 messages queued, whether it was parked for review, and what was written
   * to the FHIR record (null: nothing, as for every tenant on HL7 v2 only).
   */
  public record Outcome(List<OutboundMessage> messages, boolean parked, io.telebridge.core.context.ChartWrite recorded) {
    public Outcome {
      messages = List.copyOf(messages);
    }
  }

  /** As {@link #translate(PlatformEvent, String, String)}, with the whole outcome (for the journal). */
  public Outcome handle(PlatformEvent event, String rawEvent, String resumedFromCase) {
    Resolution patient = resolvePatient.resolve(
        new ResolveRequest(event.tenant(), event.patient(), event.eventId(), rawEvent, resumedFromCase));
    if (patient.parked()) {
      LOG.log(Level.INFO, "parked eventId={0} type={1} reviewCase={2}", event.eventId(), event.type().wireName(),
          patient.parkedInCase());
      return new Outcome(List.of(), true, null);
    }
    // FHIR first: a failure leaves nothing queued, and the retry's write finds what the first one stored
    io.telebridge.core.context.ChartWrite written = gate.mode(event.tenant(),
        Flow.ofVisitEvent(event.type().wireName())) == io.telebridge.core.switches.FlowMode.ON
            ? records.write(event, patient) : null;
    if (written != null) {
      LOG.log(Level.INFO, "recorded eventId={0} type={1} fhirCreated={2} entries={3} requests={4}", event.eventId(),
          event.type().wireName(), written.created(), written.entries(), written.requests());
    }
    List<OutboundMessage> out = messages.messagesFor(event, patient);
    boolean schedulingHeld = false;
    for (OutboundMessage message : out) {
      if (gate.toEhr(event.tenant(), message.controlId(), message.messageType(), message.payload())) {
        outbox.send(event, groupOf(event), message);
      } else if (Flow.ofHl7(message.messageType()) == Flow.SCHEDULING) {
        schedulingHeld = true;
      }
    }
    if (!schedulingHeld) {
      recordAppointment(event);
    }
    scheduleContextPull(event);
    LOG.log(Level.INFO, "translated eventId={0} type={1} newPatient={2} messages={3}", event.eventId(),
        event.type().wireName(), patient.newPatient(),
        out.stream().map(m -> m.messageType() + "/" + m.controlId()).toList());
    return new Outcome(out, false, written);
  }

  /** After the messages are queued: what the EHR will now hold for this appointment, with source PLATFORM. */
  private void recordAppointment(PlatformEvent event) {
    Appointment a = event.appointment();
    if (appointments == null || a == null || a.id() == null) {
      return;
    }
    String status = switch (event.type()) {
      case APPOINTMENT_BOOKED, APPOINTMENT_RESCHEDULED -> "booked";
      case APPOINTMENT_CANCELLED -> "cancelled";
      case APPOINTMENT_NO_SHOW -> "no_show";
      default -> null;
    };
    if (status == null) {
      return;
    }
    appointments.recordPlatformChange(event.tenant(), a.id(), a.ehrId(), a.start(), a.end(),
        a.provider() == null ? null : a.provider().npi(), null, status, event.occurredAt());
  }

  /** After the messages are queued: the appointment's pre-visit context pull follows the booking. */
  private void scheduleContextPull(PlatformEvent event) {
    Appointment a = event.appointment();
    if (contextPulls == null || a == null || a.id() == null) {
      return;
    }
    ScheduleContextPull.Change change = switch (event.type()) {
      case APPOINTMENT_BOOKED -> ScheduleContextPull.Change.BOOKED;
      case APPOINTMENT_RESCHEDULED -> ScheduleContextPull.Change.RESCHEDULED;
      case APPOINTMENT_CANCELLED -> ScheduleContextPull.Change.CANCELLED;
      case APPOINTMENT_NO_SHOW -> ScheduleContextPull.Change.NO_SHOW;
      default -> null;
    };
    boolean pulling = change == ScheduleContextPull.Change.CANCELLED || change == ScheduleContextPull.Change.NO_SHOW
        || gate.mode(event.tenant(), Flow.CONTEXT) == io.telebridge.core.switches.FlowMode.ON;
    if (change != null && pulling) { // a context flow off or in shadow schedules no new pull (deletes still run)
      contextPulls.onAppointment(event.tenant(), change, a.id(), event.patient().platformPatientId(), a.start());
    }
  }

  /** The to-EHR message group: one per platform patient of a tenant. */
  public static String groupOf(PlatformEvent event) {
    return io.telebridge.core.model.TenantKeys.fifoId(event.tenant(), event.patient().platformPatientId());
  }
}
