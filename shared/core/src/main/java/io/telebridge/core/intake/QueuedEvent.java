package io.telebridge.core.intake;

import io.telebridge.core.model.TenantKeys;
import java.time.Instant;

/**
 * An accepted event on its way to the intake queue. The body is the exact signed JSON.
 *
 * @param groupId the FIFO message group: the tenant's platform patient id ({@link TenantKeys#fifoId}), so one
 *     tenant's burst never holds up another tenant's patient of the same id
 * @param deduplicationId the FIFO deduplication id: the tenant's event id ({@link TenantKeys#fifoId}), so two
 *     tenants reusing an event id within SQS's five-minute window are both delivered
 */
public record QueuedEvent(
    String eventId, String type, String tenant, String groupId, String deduplicationId, byte[] body, Instant receivedAt) {

  public static QueuedEvent of(ValidatedEvent event, byte[] body, Instant receivedAt) {
    return new QueuedEvent(
        event.eventId(), event.type(), event.tenant(), TenantKeys.fifoId(event.tenant(), event.patientId()),
        TenantKeys.fifoId(event.tenant(), event.eventId()), body, receivedAt);
  }

  @Override
  public String toString() {
    return "QueuedEvent[eventId=" + eventId + ", type=" + type + ", tenant=" + tenant
        + ", body=" + body.length + " bytes]";
  }
}
