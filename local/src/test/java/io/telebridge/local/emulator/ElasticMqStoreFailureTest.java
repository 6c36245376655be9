package io.telebridge.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.aws.AwsClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ's SQL store actor fails on one change (under load: a receipt appended by the queue actor
 * while the store serialises the send, see {@link StoreKeepingSupervisor}; here: a change it cannot
 * serialise, sent to it directly). Restarted, it stored nothing any more and a restart brought back
 * what was deleted after the failure and lost what was sent after it. Resumed, it stores on.
 */
class ElasticMqStoreFailureTest {

  @Test
  void aFailedChangeDoesNotStopTheStoreFromStoringTheNextOnes(@TempDir Path dir) throws Exception {
    ElasticMq mq = ElasticMq.start("127.0.0.1", 0, dir, true);
    int port = mq.port();
    String url;
    try (SqsClient sqs = AwsClients.sqs(mq.endpoint())) {
      url = sqs.createQueue(b -> b.queueName("store-test.fifo")
          .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("before").messageGroupId("g1").messageDeduplicationId("d1"));
      // the store actor is ElasticMQ's first top-level actor ($a; the queue manager is $b)
      Object badChange = Class.forName("org.elasticmq.actor.queue.QueueEvent$MessageAdded").getConstructors()[0]
          .newInstance("store-test.fifo", null);
      mq.actorSystem().actorSelection("/user/$a").tell(badChange, ActorRef.noSender());
      Thread.sleep(500);
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages();
      assertEquals(1, got.size());
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("after").messageGroupId("g2").messageDeduplicationId("d2"));
    } finally {
      mq.close();
    }
    ElasticMq again = ElasticMq.start("127.0.0.1", port, dir, true);
    List<String> bodies = new ArrayList<>();
    try (SqsClient sqs = AwsClients.sqs(again.endpoint())) {
      for (int round = 0; round < 3; round++) {
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
          bodies.add(m.body());
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
    } finally {
      again.close();
    }
    assertEquals(List.of("after"), bodies, "the deleted message stays deleted, the one sent after the failure survives");
  }

  @Test
  void onlyTheStoreActorIsResumed() {
    Exception fromStore = new IllegalArgumentException("requirement failed");
    fromStore.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("org.elasticmq.persistence.sql.MessageRepository", "add", "MessageRepository.scala", 52),
        new StackTraceElement("org.elasticmq.persistence.sql.SqlQueuePersistenceActor$$anonfun$receive$1",
            "applyOrElse", "SqlQueuePersistenceActor.scala", 60)});
    assertTrue(StoreKeepingSupervisor.fromTheStore(fromStore));
    assertEquals(org.apache.pekko.actor.SupervisorStrategy.resume(), StoreKeepingSupervisor.decide(fromStore));
    assertEquals(org.apache.pekko.actor.SupervisorStrategy.restart(),
        StoreKeepingSupervisor.decide(new IllegalStateException("elsewhere")));
  }
}
