package io.telebridge.mllp.bridge;

import java.util.Map;

/**
 * One message received from the to-EHR queue. The body (an HL7 v2 message: PHI) is redacted from
 * {@link #toString()}.
 *
 * @param messageId the SQS message id (stable across receives)
 * @param receiptHandle this receive's handle
 * @param groupId the FIFO message group (the patient key)
 * @param body one HL7 v2 message, ER7
 * @param attributes string message attributes ({@code controlId}, {@code messageType}, {@code eventId})
 * @param receiveCount SQS ApproximateReceiveCount
 */
public record QueuedMessage(
    String messageId,
    String receiptHandle,
    String groupId,
    String body,
    Map<String, String> attributes,
    int receiveCount) {

  public QueuedMessage {
    attributes = Map.copyOf(attributes);
  }

  public String attribute(String name) {
    return attributes.getOrDefault(name, "");
  }

  @Override
  public String toString() {
    return "QueuedMessage[messageId=" + messageId + ", group=" + groupId + ", controlId=" + attribute("controlId")
        + ", receiveCount=" + receiveCount + ", body=***]";
  }
}
