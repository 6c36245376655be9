package io.telebridge.tests;

import static org.junit.jupiter.api.Assertions.fail;

import io.telebridge.local.LocalStack;
import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What the bridge tests watch on the EHR side of a local stack: the simulator's messages and queue depths. */
final class EhrSide {

  private EhrSide() {}

  /** The messages the EHR simulator received with this id in PID-3, in order of arrival. */
  static List<ReceivedMessage> at(EhrSimulator ehr, String patient) {
    return ehr.received().stream().filter(m -> m.patientIds().contains(patient)).toList();
  }

  /** Waits for a condition, failing with what the EHR received when it does not come. */
  static void await(EhrSimulator ehr, String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what + "; the EHR received: " + ehr.received());
      }
      Thread.sleep(100);
    }
  }

  /** Visible plus in-flight messages of a queue of the stack (by its template name). */
  static int depth(LocalStack stack, String queue) {
    return stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl(queue)).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes().values().stream().mapToInt(Integer::parseInt).sum();
  }
}
