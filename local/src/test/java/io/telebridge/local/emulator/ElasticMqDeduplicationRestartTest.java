package io.telebridge.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.telebridge.local.aws.AwsClients;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS refuses a FIFO deduplication id for five minutes after it was sent, whatever became of the
 * message; ElasticMQ forgot the ids of deleted messages when it restarted, so a batch redelivered
 * after the restart (its delete never reached the stopped server) was translated again and its HL7
 * (MSH-10 as deduplication id) queued and sent to the EHR a second time (sqs-restart,
 * docs/measurements.md §14). {@link FifoDeduplicationStore} keeps them.
 */
class ElasticMqDeduplicationRestartTest {

  @Test
  void aDeduplicationIdOfADeletedMessageIsStillRefusedAfterARestart(@TempDir Path dir) throws Exception {
    ElasticMq mq = ElasticMq.start("127.0.0.1", 0, dir, true);
    int port = mq.port();
    String url;
    try (SqsClient sqs = AwsClients.sqs(mq.endpoint())) {
      url = sqs.createQueue(b -> b.queueName("Dedup-Test.fifo")
          .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
      mq.trackDeduplication(List.of("Dedup-Test.fifo"));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("sent once").messageGroupId("g1").messageDeduplicationId("MSH10-1"));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("still queued").messageGroupId("g2").messageDeduplicationId("MSH10-2"));
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
      Message first = got.stream().filter(m -> m.body().equals("sent once")).findFirst().orElseThrow();
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
      got.stream().filter(m -> m != first).forEach(m -> sqs.changeMessageVisibility(b -> b.queueUrl(url)
          .receiptHandle(m.receiptHandle()).visibilityTimeout(0)));
    } finally {
      mq.close();
    }
    ElasticMq again = ElasticMq.start("127.0.0.1", port, dir, true);
    try (SqsClient sqs = AwsClients.sqs(again.endpoint())) {
      // the consumer whose delete was lost sends its output again: refused as a duplicate, as SQS would
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("sent once").messageGroupId("g1").messageDeduplicationId("MSH10-1"));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("new").messageGroupId("g3").messageDeduplicationId("MSH10-3"));
      List<String> bodies = new java.util.ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
          bodies.add(m.body());
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
      java.util.Collections.sort(bodies);
      assertEquals(List.of("new", "still queued"), bodies, "the deleted message's id refused, the others delivered once");
      Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
          .attributesAsStrings();
      assertEquals("0", a.get("ApproximateNumberOfMessages"), "nothing left: " + a);
      assertEquals("0", a.get("ApproximateNumberOfMessagesNotVisible"), "no tombstone left in the queue: " + a);
    } finally {
      again.close();
    }
  }
}
