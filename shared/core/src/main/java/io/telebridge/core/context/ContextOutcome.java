package io.telebridge.core.context;

import io.telebridge.core.fromehr.EventIds;
import java.time.Instant;

/**
 * The result of one pull: the context, or why there is none (a reason code, no PHI). Each outcome is
 * one event for the platform ({@code patient.context.ready} / {@code patient.context.unavailable}),
 * with a deterministic id (a redelivered pull yields the same id) and the patient's FIFO group.
 */
public sealed interface ContextOutcome {

  ContextRequest request();

  String eventType();

  String eventId();

  Instant occurredAt();

  default String groupId() {
    return io.telebridge.core.model.TenantKeys.fifoId(request().tenant(), request().platformPatientId());
  }

  record Ready(ContextRequest request, PatientContext context) implements ContextOutcome {
    @Override
    public String eventType() {
      return "patient.context.ready";
    }

    @Override
    public String eventId() {
      return EventIds.derive(eventType(), request.tenant(), request.platformPatientId(), request.appointmentId(),
          Long.toString(context.version()));
    }

    @Override
    public Instant occurredAt() {
      return context.provenance().fetchedAt();
    }
  }

  record Unavailable(ContextRequest request, Section.Unavailable.Reason reason, String detail, Instant at)
      implements ContextOutcome {
    @Override
    public String eventType() {
      return "patient.context.unavailable";
    }

    @Override
    public String eventId() {
      return EventIds.derive(eventType(), request.tenant(), request.platformPatientId(), request.appointmentId(),
          Long.toString(at.toEpochMilli()));
    }

    @Override
    public Instant occurredAt() {
      return at;
    }
  }
}
