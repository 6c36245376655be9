package io.telebridge.core.journal;

import io.telebridge.core.fromehr.OutboundEvent;
import io.telebridge.core.intake.IntakeResult;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.OutboundMessage;
import io.telebridge.core.toplatform.DeliveryOutcome;
import io.telebridge.core.toplatform.PlatformDelivery;
import java.time.Instant;
import java.util.List;

/**
 * The journal entry of each stage's outcome, so that each stage's edge adds one line. Null where
 * there is nothing to journal (a refused webhook whose tenant is unknown).
 */
public final class JournalSteps {

  private JournalSteps() {}

  /** Intake: accepted (waits on the intake queue) or a replay of an accepted event. */
  public static JournalEntry intake(IntakeResult result, Instant at) {
    if (!(result instanceof IntakeResult.Accepted a) || a.tenant() == null) {
      return null; // a refusal changed nothing and has no verified tenant to file it under
    }
    return JournalEntry.event(a.tenant(), a.eventId(), Stage.INTAKE, a.replay() ? "replay" : "accepted", at)
        .type(a.type()).waitsAt(a.replay() ? null : "queue:intake").about(null, a.patientId());
  }

  /** To-EHR translator: the MSH-10s queued for the EHR, or parked for review when there are none. */
  public static JournalEntry translated(PlatformEvent event, List<OutboundMessage> out, int attempt, Instant at) {
    return translated(event, out, out.isEmpty(), attempt, at);
  }

  /**
   * @param parked parked for review (else translated: its messages queued, or with none, written to the FHIR
   *     record only and done)
   */
  public static JournalEntry translated(PlatformEvent event, List<OutboundMessage> out, boolean parked, int attempt,
      Instant at) {
    JournalEntry e = JournalEntry.event(event.tenant(), event.eventId(), Stage.TO_EHR_TRANSLATOR,
        parked ? "parked" : "translated", at).type(event.type().wireName()).attempt(attempt)
        .links(out.stream().map(m -> JournalEntry.HL7 + m.controlId()).toList())
        .waitsAt(parked ? "review" : out.isEmpty() ? null : "queue:to-ehr")
        .about(event.appointment() == null ? null : event.appointment().id(),
            event.patient() == null ? null : event.patient().platformPatientId());
    return e;
  }

  /** A stage could not handle a message: to its DLQ now ({@code dlq}), or back to its queue for a retry. */
  public static JournalEntry failed(String tenant, String subject, Stage stage, String errorClass, int attempt,
      String dlq, String queue, Instant at) {
    if (tenant == null || tenant.isEmpty() || subject == null) {
      return null;
    }
    return new JournalEntry(tenant, subject, stage.wire(), null, dlq != null ? "dead-lettered" : "failed", attempt,
        errorClass, null, at, List.of(), dlq != null ? "dlq:" + dlq : "queue:" + queue, null, null, null);
  }

  /** Platform delivery: delivered, retry at T (waits on the queue until then), or refused for good (DLQ). */
  public static JournalEntry delivery(PlatformDelivery d, DeliveryOutcome outcome, Instant at) {
    if (d.tenant() == null || d.tenant().isEmpty() || d.eventId() == null) {
      return null;
    }
    JournalEntry e = JournalEntry.event(d.tenant(), d.eventId(), Stage.PLATFORM_DELIVERY, "delivered", at)
        .type(d.eventType()).attempt(d.receiveCount());
    return switch (outcome) {
      case DeliveryOutcome.Delivered ok -> e.error(null, Integer.toString(ok.status()));
      case DeliveryOutcome.DeadLettered dl -> new JournalEntry(e.tenant(), e.subject(), e.stage(), e.type(),
          "dead-lettered", e.attempt(), "refused", Integer.toString(dl.status()), at, List.of(), "dlq:to-platform", null,
          null, null);
      case DeliveryOutcome.RetryLater r -> new JournalEntry(e.tenant(), e.subject(), e.stage(), e.type(), "retry",
          e.attempt(), r.status() == 0 ? "no-answer" : "status", r.status() == 0 ? null : Integer.toString(r.status()),
          at, List.of(), "retry-at:" + at.plus(r.delay()), null, null, null);
    };
  }

  /** From-EHR translator: the events queued for the platform from one EHR message. */
  public static JournalEntry fromEhr(String tenant, String controlId, String messageType, List<OutboundEvent> out,
      Instant at) {
    if (tenant == null || tenant.isEmpty() || controlId == null) {
      return null;
    }
    return JournalEntry.hl7(tenant, controlId, Stage.FROM_EHR_TRANSLATOR, "translated", at).type(messageType)
        .links(out.stream().map(o -> JournalEntry.EVENT + o.eventId()).toList())
        .waitsAt(out.isEmpty() ? null : "queue:to-platform");
  }
}
