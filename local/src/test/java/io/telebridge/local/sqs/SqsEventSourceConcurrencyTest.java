package io.telebridge.local.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.aws.AwsClients;
import io.telebridge.local.emulator.ElasticMq;
import io.telebridge.local.lambda.FunctionSpec;
import io.telebridge.local.lambda.LocalFunction;
import io.telebridge.local.testfn.ConcurrencyProbeHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS event source with several batches at once on a FIFO queue, against a real ElasticMQ: two
 * or more message groups are in the function at the same time, on separate handler instances, while
 * each group is in one batch at a time and its messages arrive in the order sent. This pins
 * ElasticMQ's FIFO receive (a group's later messages stay hidden while one of its messages is in
 * flight), which the local stack's per-patient order relies on.
 */
class SqsEventSourceConcurrencyTest {

  private static final int GROUPS = 6;
  private static final int PER_GROUP = 6;

  @Test
  void groupsRunInParallelWhileEachGroupStaysInOrder(@TempDir Path dir) throws Exception {
    ConcurrencyProbeHandler.reset();
    ConcurrencyProbeHandler.holdMillis = 150;
    ElasticMq mq = ElasticMq.start("127.0.0.1", 0, dir, false);
    FunctionSpec spec = new FunctionSpec("ProbeFunction", "probe", ConcurrencyProbeHandler.class.getName(), 30, 512,
        Map.of(), null);
    try (SqsClient sqs = AwsClients.sqs(mq.endpoint());
        LocalFunction fn = new LocalFunction(spec, getClass().getClassLoader(), false, System.err, 4)) {
      String url = sqs.createQueue(b -> b.queueName("probe.fifo").attributes(Map.of(
          QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
      for (int i = 0; i < PER_GROUP; i++) {
        for (int g = 0; g < GROUPS; g++) {
          String body = "g" + g + "-m" + i;
          int group = g;
          sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId("g" + group).messageDeduplicationId(body));
        }
      }
      SqsEventSource source = new SqsEventSource(fn, sqs, new SqsEventSource.Settings("Probe", url,
          "arn:aws:sqs:us-east-1:000000000000:probe.fifo", 2, 0, false, 1, 4));
      source.start();
      try {
        long deadline = System.nanoTime() + 120_000_000_000L; // generous: the machine is shared
        while (delivered() < GROUPS * PER_GROUP && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } finally {
        source.close();
      }
      assertEquals(GROUPS * PER_GROUP, delivered(), "every message delivered once");
      for (int g = 0; g < GROUPS; g++) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < PER_GROUP; i++) {
          expected.add("g" + g + "-m" + i);
        }
        assertEquals(expected, ConcurrencyProbeHandler.BODIES_BY_GROUP.get("g" + g), "group g" + g + " in the order sent");
      }
      assertEquals(0, ConcurrencyProbeHandler.GROUP_OVERLAPS.get(), "a group was in two batches at once");
      assertEquals(0, ConcurrencyProbeHandler.INSTANCE_OVERLAPS.get(), "a handler instance served two calls at once");
      assertTrue(ConcurrencyProbeHandler.MOST_ACTIVE.get() >= 2,
          "batches of different groups ran in parallel (most at once: " + ConcurrencyProbeHandler.MOST_ACTIVE.get() + ")");
      assertTrue(ConcurrencyProbeHandler.MOST_ACTIVE.get() <= 4, "never more than the concurrency");
      assertTrue(fn.instanceCount() >= 2 && fn.instanceCount() <= 4, "instances: " + fn.instanceCount());
    } finally {
      mq.close();
    }
  }

  /** What the pollers rely on: while one of a group's messages is in flight, no receive returns the group. */
  @Test
  void elasticMqHidesAGroupWhileOneOfItsMessagesIsInFlight(@TempDir Path dir) throws Exception {
    ElasticMq mq = ElasticMq.start("127.0.0.1", 0, dir, false);
    try (SqsClient sqs = AwsClients.sqs(mq.endpoint())) {
      String url = sqs.createQueue(b -> b.queueName("lock.fifo").attributes(Map.of(
          QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
      for (String body : List.of("a1", "b1", "a2", "b2", "a3")) {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId(body.substring(0, 1))
            .messageDeduplicationId(body));
      }
      var first = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1)).messages();
      assertEquals(1, first.size());
      String busy = first.get(0).body().substring(0, 1);
      List<String> others = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages().forEach(m -> others.add(m.body()));
      }
      assertTrue(others.stream().noneMatch(body -> body.startsWith(busy)),
          "group " + busy + " is in flight, yet a receive returned " + others);
      assertTrue(!others.isEmpty(), "the other group is receivable meanwhile");
    } finally {
      mq.close();
    }
  }

  @Test
  void concurrencyOneRunsOneBatchAtATime(@TempDir Path dir) throws Exception {
    ConcurrencyProbeHandler.reset();
    ConcurrencyProbeHandler.holdMillis = 20;
    ElasticMq mq = ElasticMq.start("127.0.0.1", 0, dir, false);
    FunctionSpec spec = new FunctionSpec("ProbeFunction", "probe", ConcurrencyProbeHandler.class.getName(), 30, 512,
        Map.of(), null);
    try (SqsClient sqs = AwsClients.sqs(mq.endpoint());
        LocalFunction fn = new LocalFunction(spec, getClass().getClassLoader(), false, System.err, 1)) {
      String url = sqs.createQueue(b -> b.queueName("serial.fifo").attributes(Map.of(
          QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
      for (int g = 0; g < 4; g++) {
        String body = "g" + g + "-m0";
        int group = g;
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId("g" + group).messageDeduplicationId(body));
      }
      // four pollers, one instance: the function's concurrency bounds the pollers
      SqsEventSource source = new SqsEventSource(fn, sqs, new SqsEventSource.Settings("Serial", url,
          "arn:aws:sqs:us-east-1:000000000000:serial.fifo", 1, 0, false, 1, 4));
      source.start();
      try {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (delivered() < 4 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } finally {
        source.close();
      }
      assertEquals(4, delivered());
      assertEquals(1, ConcurrencyProbeHandler.MOST_ACTIVE.get());
      assertEquals(1, fn.instanceCount());
    } finally {
      mq.close();
    }
  }

  private static int delivered() {
    return ConcurrencyProbeHandler.BODIES_BY_GROUP.values().stream().mapToInt(List::size).sum();
  }
}
