package io.telebridge.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.telebridge.local.aws.AwsClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ stopped while a FIFO group's messages are in flight, and started again on its store:
 * the group's messages come back in the order they were sent (found by {@code ./tb bench faults},
 * sqs-restart; before the fix the group's later message came first and the in-flight ones after it
 * in any order).
 */
class ElasticMqFifoRestartTest {

  @Test
  void aFifoGroupKeepsItsOrderWhenElasticMqRestartsWithMessagesInFlight(@TempDir Path dir) throws Exception {
    ElasticMq mq = ElasticMq.start("127.0.0.1", 0, dir, true);
    int port = mq.port();
    String url;
    try (SqsClient sqs = AwsClients.sqs(mq.endpoint())) {
      url = sqs.createQueue(b -> b.queueName("order-test.fifo")
          .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
      for (int i = 0; i < 10; i++) {
        int k = i;
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + k).messageGroupId("g" + (k % 2))
            .messageDeduplicationId("d" + k));
      }
      // a consumer takes g0's first four in flight and has deleted only the first when the server stops
      List<Message> inFlight = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(4).visibilityTimeout(1))
          .messages();
      assertEquals(List.of("m0", "m2", "m4", "m6"), inFlight.stream().map(Message::body).toList());
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(inFlight.get(0).receiptHandle()));
    } finally {
      mq.close();
    }
    Thread.sleep(1_500); // the in-flight messages' visibility timeout is over
    ElasticMq again = ElasticMq.start("127.0.0.1", port, dir, true);
    List<String> g0 = new ArrayList<>();
    List<String> g1 = new ArrayList<>();
    try (SqsClient sqs = AwsClients.sqs(again.endpoint())) {
      for (int round = 0; round < 60 && g0.size() + g1.size() < 9; round++) {
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1)).messages()) {
          (m.body().substring(1).charAt(0) % 2 == 0 ? g0 : g1).add(m.body());
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
    } finally {
      again.close();
    }
    assertEquals(List.of("m2", "m4", "m6", "m8"), g0, "g0 in the order sent, the in-flight ones first");
    assertEquals(List.of("m1", "m3", "m5", "m7", "m9"), g1);
  }
}
