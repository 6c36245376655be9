package io.telebridge.mllp.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.telebridge.core.error.RejectedException;
import io.telebridge.core.error.TransientException;
import io.telebridge.mllp.LocalSqs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The listener store's batch write against a real SQS peer (ElasticMQ in this JVM): one
 * SendMessageBatch per group-commit batch, each entry with the group, deduplication id and
 * attributes it has alone, and each entry's own outcome.
 */
class SqsInboundStoreBatchTest {

  private static LocalSqs sqs;

  @BeforeAll
  static void start() throws Exception {
    sqs = LocalSqs.start();
  }

  @AfterAll
  static void stop() {
    sqs.close();
  }

  private static String fifo(String name) {
    return sqs.client().createQueue(b -> b.queueName(name + ".fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE,
        "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"))).queueUrl();
  }

  private static FromEhrMessage message(String controlId, String group, String body) {
    return new FromEhrMessage(body, group, AcceptInboundFrame.deduplicationId("GENHOSP", controlId), "GENHOSP", controlId,
        "ORU^R01", Instant.parse("2026-12-07T16:00:00Z"));
  }

  @Test
  void aBatchPutsEveryEntryOnTheQueueOnceInOrderWithItsGroupDedupAndAttributes() {
    String url = fifo("batch-ok");
    SqsInboundStore store = new SqsInboundStore(sqs.client(), url, "unused");
    List<FromEhrMessage> batch = List.of(message("C1", "mrn#a", "MSH|1\r"), message("C2", "mrn#b", "MSH|2\r"),
        message("C3", "mrn#a", "MSH|3\r"));
    assertEquals(java.util.Arrays.asList(null, null, null), store.sendBatch(batch));
    assertEquals(java.util.Arrays.asList(null, null, null), store.sendBatch(batch), "a resend is deduplicated");
    List<Message> queued = sqs.drain(url);
    assertEquals(3, queued.size());
    for (Message m : queued) {
      String id = m.messageAttributes().get("controlId").stringValue();
      FromEhrMessage sent = batch.stream().filter(b -> b.controlId().equals(id)).findFirst().orElseThrow();
      assertEquals(sent.body(), m.body());
      assertEquals(sent.groupId(), m.attributesAsStrings().get("MessageGroupId"));
      assertEquals(sent.deduplicationId(), m.attributesAsStrings().get("MessageDeduplicationId"));
      assertEquals("GENHOSP", m.messageAttributes().get("sendingFacility").stringValue());
      assertEquals("ORU^R01", m.messageAttributes().get("messageType").stringValue());
      assertEquals("2026-12-07T16:00:00Z", m.messageAttributes().get("receivedAt").stringValue());
    }
    List<String> groupA = queued.stream().filter(m -> m.attributesAsStrings().get("MessageGroupId").equals("mrn#a"))
        .map(m -> m.messageAttributes().get("controlId").stringValue()).toList();
    assertEquals(List.of("C1", "C3"), groupA, "one patient's entries in their batch order");
  }

  @Test
  void anEntrySqsRefusesFailsAloneAsRefusedAndTheOthersAreStored() {
    String url = fifo("batch-one-bad");
    SqsInboundStore store = new SqsInboundStore(sqs.client(), url, "unused");
    String bad = "MSH|2\u0001\r"; // a control character SQS does not accept in a body
    List<RuntimeException> outcome = store.sendBatch(List.of(message("D1", "mrn#a", "MSH|1\r"),
        message("D2", "mrn#b", bad), message("D3", "mrn#c", "MSH|3\r")));
    assertNull(outcome.get(0));
    assertInstanceOf(RejectedException.class, outcome.get(1));
    assertNull(outcome.get(2));
    assertEquals(List.of("D1", "D3"), sqs.drain(url).stream().map(m -> m.messageAttributes().get("controlId").stringValue())
        .sorted().toList());
  }

  @Test
  void aQueueThatIsGoneFailsEveryEntryAsTransient() {
    String url = fifo("batch-gone");
    sqs.client().deleteQueue(b -> b.queueUrl(url));
    SqsInboundStore store = new SqsInboundStore(sqs.client(), url, "unused");
    List<RuntimeException> outcome = store.sendBatch(List.of(message("E1", "mrn#a", "MSH|1\r"),
        message("E2", "mrn#b", "MSH|2\r")));
    assertInstanceOf(TransientException.class, outcome.get(0), "no ACK: the EHR resends");
    assertInstanceOf(TransientException.class, outcome.get(1));
  }

  @Test
  void theBatchSizeCountsBodyAndAttributesInUtf8() {
    FromEhrMessage m = message("F1", "mrn#a", "é".repeat(10));
    long attributes = SqsInboundStore.sqsBytes(message("F1", "mrn#a", ""));
    assertEquals(20 + attributes, SqsInboundStore.sqsBytes(m));
  }
}
