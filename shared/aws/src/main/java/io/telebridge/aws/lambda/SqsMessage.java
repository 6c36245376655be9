package io.telebridge.aws.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of an SQS event, as far as the SQS functions and {@link io.telebridge.aws.SqsFifoBatch}
 * read it: its id, receipt handle, body, system {@code attributes} (MessageGroupId,
 * ApproximateReceiveCount, SentTimestamp, ...) and String {@code messageAttributes} (by name, their
 * {@code stringValue}). Maps are never null. The {@link #toString()} names the message id only: the
 * body and attributes may carry patient data.
 */
public record SqsMessage(String messageId, String receiptHandle, String body, Map<String, String> attributes,
    Map<String, String> messageAttributes, String eventSourceArn) {

  public SqsMessage {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    messageAttributes = messageAttributes == null ? Map.of() : Map.copyOf(messageAttributes);
  }

  /** A record with an id, a body and system attributes (tests; priming). */
  public static SqsMessage of(String messageId, String body, Map<String, String> attributes) {
    return new SqsMessage(messageId, null, body, attributes, null, null);
  }

  /** A system attribute (e.g. MessageGroupId), or null. */
  public String attribute(String name) {
    return attributes.get(name);
  }

  /** A String message attribute, or null. */
  public String messageAttribute(String name) {
    return messageAttributes.get(name);
  }

  public SqsMessage withMessageAttribute(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(messageAttributes);
    more.put(name, value);
    return new SqsMessage(messageId, receiptHandle, body, attributes, more, eventSourceArn);
  }

  public SqsMessage withReceiptHandle(String receiptHandle) {
    return new SqsMessage(messageId, receiptHandle, body, attributes, messageAttributes, eventSourceArn);
  }

  @Override
  public String toString() {
    return "SqsMessage[" + messageId + "]";
  }
}
