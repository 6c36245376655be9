package io.telebridge.core.fromehr;

import io.telebridge.core.model.Identifier;
import java.time.OffsetDateTime;

/**
 * One event for the platform, about one of its patients. {@code eventId} is deterministic (derived
 * from the tenant, the platform patient, the sending facility, MSH-10 and what the event is about),
 * so a redelivered EHR message yields the same event id: the to-platform FIFO queue deduplicates
 * on it and the platform gets it as {@code Idempotency-Key}.
 *
 * @param mrn the EHR chart the event is about (for a merge: the surviving chart)
 * @param source the EHR message it came from (ids only)
 */
public record OutboundEvent(
    String eventId,
    OutboundEventType type,
    OffsetDateTime occurredAt,
    String tenant,
    String platformPatientId,
    Identifier mrn,
    MessageHeader source,
    OutboundData data) {

  /** The to-platform message group: one per platform patient of a tenant. */
  public String groupId() {
    return io.telebridge.core.model.TenantKeys.fifoId(tenant, platformPatientId);
  }

  @Override
  public String toString() {
    return "OutboundEvent[eventId=" + eventId + ", type=" + type.wireName() + ", tenant=" + tenant
        + ", platformPatientId=" + platformPatientId + ", controlId=" + source.controlId() + "]";
  }
}
