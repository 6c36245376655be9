package io.telebridge.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.telebridge.core.fromehr.OutboundEventType;
import io.telebridge.core.model.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One set of event types: the core's enums are the set the intake accepts, the reader reads and the
 * translators route; the published API description (the schema the intake validates with) must list
 * exactly the same, in the same order.
 */
class EventTypeAgreementTest {

  private static JsonNode schemas() throws IOException {
    try (InputStream in = EventTypeAgreementTest.class.getClassLoader().getResourceAsStream("api/openapi.yaml")) {
      assertNotNull(in, "api/openapi.yaml is on the intake's classpath");
      return YAMLMapper.builder().build().readTree(in).path("components").path("schemas");
    }
  }

  private static List<String> enumOf(JsonNode schema) {
    return schema.path("enum").valueStream().map(JsonNode::asString).toList();
  }

  @Test
  void theApiListsExactlyTheWebhookEventTypesOfTheCore() throws IOException {
    List<String> core = Arrays.stream(EventType.values()).map(EventType::wireName).toList();
    assertEquals(core, enumOf(schemas().path("EventType")));
  }

  @Test
  void theApiListsExactlyTheOutboundEventTypesOfTheCore() throws IOException {
    List<String> core = Arrays.stream(OutboundEventType.values()).map(OutboundEventType::wireName).toList();
    assertEquals(core, enumOf(schemas().path("OutboundEventType")));
  }
}
