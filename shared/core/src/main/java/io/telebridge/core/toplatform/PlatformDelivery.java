package io.telebridge.core.toplatform;

import java.util.Objects;

/**
 * One outbound event waiting on the to-platform queue: the JSON body exactly as the platform
 * receives it, and the routing facts from the message attributes. The body holds patient data:
 * {@link #toString()} leaves it out.
 *
 * @param messageId the SQS message id (for logs and the dead-letter deduplication id)
 * @param eventId the {@code eventId} attribute: the platform's idempotency key; may be null on a malformed message
 * @param eventType the {@code eventType} attribute (wire name, e.g. {@code ehr.result.available}); may be null
 * @param tenant the {@code tenant} attribute; may be null
 * @param groupId the FIFO message group ({@code <tenant>:<platform patient id>})
 * @param receiveCount SQS's ApproximateReceiveCount of this receive (1 on the first attempt)
 * @param body the event JSON, UTF-8
 */
public record PlatformDelivery(
    String messageId, String eventId, String eventType, String tenant, String groupId, int receiveCount, byte[] body) {

  public PlatformDelivery {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    receiveCount = Math.max(1, receiveCount);
  }

  @Override
  public String toString() {
    return "PlatformDelivery[messageId=" + messageId + ", eventId=" + eventId + ", eventType=" + eventType
        + ", tenant=" + tenant + ", receiveCount=" + receiveCount + ", body=<" + body.length + " bytes>]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlatformDelivery d && messageId.equals(d.messageId) && Objects.equals(eventId, d.eventId)
        && Objects.equals(eventType, d.eventType) && Objects.equals(tenant, d.tenant)
        && Objects.equals(groupId, d.groupId) && receiveCount == d.receiveCount && java.util.Arrays.equals(body, d.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(messageId, eventId, receiveCount);
  }
}
