package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.mllp.sim.EhrSimulator;
import io.telebridge.mllp.sim.ReceivedMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The MLLP bridge and the EHR simulator inside the local stack (moto not needed: one is started anyway). */
class LocalBridgeTest {

  private static final String MESSAGE = "MSH|^~\\&|TB|TH|EHR|CL|20260115093000||SIU^S12^SIU_S12|LB-1|P|2.5.1\r"
      + "PID|1||p-local^^^PLATFORM^PI||SYNTHETIC^Person\r";

  private static Path template() throws Exception {
    return Path.of(LocalBridgeTest.class.getResource("/bridge-template.yaml").toURI());
  }

  private static void send(LocalStack stack) {
    stack.sqs().sendMessage(b -> b.queueUrl(stack.queueUrl("ToEhrQueue")).messageGroupId("p-local")
        .messageDeduplicationId("LB-1").messageBody(MESSAGE).messageAttributes(Map.of(
            "controlId", MessageAttributeValue.builder().dataType("String").stringValue("LB-1").build())));
  }

  @Test
  void runsTheBridgeAgainstTheSimulatorByConventionWhenTheTemplateHasNoTaskDefinition() throws Exception {
    try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(template()).runBridge(true))) {
      EhrSimulator ehr = stack.ehrSimulator();
      assertEquals(stack.queueUrl("ToEhrQueue"), stack.bridgeEnvironment().get("TO_EHR_QUEUE_URL"));
      assertEquals(stack.queueUrl("ToEhrDeadLetterQueue"), stack.bridgeEnvironment().get("TO_EHR_DLQ_URL"));
      send(stack);
      assertTrue(ehr.awaitCount(1, Duration.ofSeconds(20)));
      ReceivedMessage m = ehr.received().get(0);
      assertEquals("LB-1", m.controlId());
      assertEquals(List.of("p-local"), m.patientIds());
      Path recorded = stack.dataDir().resolve("ehr-simulator").resolve("received.log");
      assertTrue(Files.readString(recorded).contains("LB-1 SIU^S12 -> AA"));
      String banner = LocalStackMain.banner(stack);
      assertTrue(banner.contains("EHR simulator 127.0.0.1:" + ehr.port()), banner);
      assertTrue(banner.contains(ehr.controlUrl() + "/rules?answer=AE&times=1"), banner);
      long closing = System.nanoTime();
      stack.close();
      assertTrue(System.nanoTime() - closing < Duration.ofSeconds(10).toNanos(), "the bridge drained and stopped quickly");
    }
  }

  @Test
  void pointsTheBridgeAtAnExternalEhrInsteadOfTheSimulator() throws Exception {
    try (EhrSimulator external = EhrSimulator.builder().start();
        LocalStack stack = LocalStack.start(LocalStackOptions.forTests(template()).runBridge(true)
            .externalEhr("127.0.0.1", external.port()).bridgeEnvironment("ACK_TIMEOUT_MS", "3000"))) {
      assertNull(stack.ehrSimulator());
      assertEquals("3000", stack.bridgeEnvironment().get("ACK_TIMEOUT_MS"));
      send(stack);
      assertTrue(external.awaitCount(1, Duration.ofSeconds(20)));
      assertTrue(LocalStackMain.banner(stack).contains("external EHR 127.0.0.1:" + external.port()));
    }
  }

  @Test
  void runsNoBridgeInTestsUnlessAskedTo() throws Exception {
    try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(template()))) {
      assertNull(stack.mllpBridge());
      assertNull(stack.ehrSimulator());
      assertTrue(stack.bridgeEnvironment().isEmpty());
    }
  }
}
