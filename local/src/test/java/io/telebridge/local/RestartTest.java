package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.emulator.ElasticMq;
import io.telebridge.local.emulator.MotoServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/** Stopping and starting the stack on the same data directory (one moto for the class). */
class RestartTest {

  private static MotoServer moto;
  private static Path template;

  @BeforeAll
  static void startMoto(@TempDir Path logs) throws Exception {
    template = Path.of(RestartTest.class.getResource("/test-template.yaml").toURI());
    moto = MotoServer.start(null, "127.0.0.1", 0, logs.resolve("moto.log"), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  private static LocalStackOptions options(Path dataDir) {
    return LocalStackOptions.forTests(template).dataDir(dataDir).motoEndpoint(moto.endpoint()).runFunctions(false);
  }

  @Test
  void queuedMessagesSurviveARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
    try (LocalStack first = LocalStack.start(options(dataDir))) {
      first.sqs().sendMessage(b -> b.queueUrl(first.queueUrl("WorkQueue")).messageGroupId("patient-1")
          .messageDeduplicationId("evt-1").messageBody("{\"eventId\":\"evt-1\"}")
          .messageAttributes(Map.of("type", MessageAttributeValue.builder().dataType("String")
              .stringValue("appointment.booked").build())));
      first.sqs().sendMessage(b -> b.queueUrl(first.queueUrl("ParkedQueue")).messageBody("parked"));
    }
    try (LocalStack second = LocalStack.start(options(dataDir))) {
      List<Message> fifo = second.sqs().receiveMessage(b -> b.queueUrl(second.queueUrl("WorkQueue"))
          .waitTimeSeconds(2).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All")).messages();
      assertEquals(1, fifo.size());
      Message m = fifo.get(0);
      assertEquals("{\"eventId\":\"evt-1\"}", m.body());
      assertEquals("patient-1", m.attributesAsStrings().get("MessageGroupId"));
      assertEquals("evt-1", m.attributesAsStrings().get("MessageDeduplicationId"));
      assertEquals("appointment.booked", m.messageAttributes().get("type").stringValue());
      List<Message> standard = second.sqs().receiveMessage(b -> b.queueUrl(second.queueUrl("ParkedQueue"))
          .waitTimeSeconds(2)).messages();
      assertEquals("parked", standard.get(0).body());
    }
  }

  @Test
  void restartingUpdatesQueuesWhoseTemplateAttributesChanged(@TempDir Path dataDir) throws Exception {
    try (LocalStack first = LocalStack.start(options(dataDir))) {
      assertEquals(2, maxReceiveCount(first));
    }
    try (LocalStack second = LocalStack.start(options(dataDir).parameter("MaxReceiveCount", "4"))) {
      assertEquals(4, maxReceiveCount(second));
      assertNull(second.apiBaseUrl(), "no functions were asked for");
    }
  }

  @Test
  void refusesASecondPersistentElasticMqInTheSameJvmButAllowsAnInMemoryOne(@TempDir Path one, @TempDir Path two)
      throws Exception {
    try (ElasticMq first = ElasticMq.start("127.0.0.1", 0, one)) {
      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> ElasticMq.start("127.0.0.1", 0, two));
      assertTrue(refused.getMessage().contains("one per JVM"), refused.getMessage());
      try (ElasticMq inMemory = ElasticMq.start("127.0.0.1", 0, two, false)) {
        assertTrue(!inMemory.isPersistent() && first.isPersistent());
      }
    }
  }

  private static int maxReceiveCount(LocalStack stack) {
    String policy = stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl("WorkQueue"))
        .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributesAsStrings().get("RedrivePolicy");
    return JsonMapper.builder().build().readTree(policy).get("maxReceiveCount").asInt();
  }
}
