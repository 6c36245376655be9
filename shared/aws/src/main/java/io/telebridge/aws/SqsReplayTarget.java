package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.journal.ArchivedMessage;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.ReplayTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A replay on SQS: an HL7 message back onto the to-EHR FIFO queue (the MLLP sender sends it again, same
 * MSH-10), an event back onto the intake FIFO queue (the translator translates it again), each in its
 * own patient's group with its original attributes plus {@code replayOf}.
 */
public final class SqsReplayTarget implements ReplayTarget {

  private final SqsClient sqs;
  private final String toEhrQueueUrl;
  private final String intakeQueueUrl;

  public SqsReplayTarget(SqsClient sqs, String toEhrQueueUrl, String intakeQueueUrl) {
    this.sqs = sqs;
    this.toEhrQueueUrl = toEhrQueueUrl;
    this.intakeQueueUrl = intakeQueueUrl;
  }

  @Override
  public String send(ArchivedMessage message, String deduplicationId) {
    boolean hl7 = message.subject().startsWith(JournalEntry.HL7);
    String url = hl7 ? toEhrQueueUrl : intakeQueueUrl;
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    message.attributes().forEach((k, v) -> attributes.put(k, text(v)));
    attributes.put("replayOf", text(message.subject()));
    try {
      sqs.sendMessage(b -> b.queueUrl(url).messageGroupId(message.groupId()).messageDeduplicationId(deduplicationId)
          .messageBody(message.body()).messageAttributes(attributes));
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage (replay) failed (" + e.getClass().getSimpleName() + ")", e);
    }
    return hl7 ? "to-ehr" : "intake";
  }

  private static MessageAttributeValue text(String v) {
    return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
  }
}
