package io.telebridge.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.intake.InvalidEventException;
import io.telebridge.core.intake.ValidatedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The generated schemas ({@code api/webhook-event.schema.json}, written by the build from api/openapi.yaml) are
 * the description's: the same trees, and a validator on them answers every sample and broken variant exactly
 * as one on the YAML description does.
 */
class WebhookSchemaExportTest {

  private static final String YAML_LOCATION = "classpath:api/openapi.yaml#/components/schemas/WebhookEvent";

  private static JsonNode resource(String name, boolean yaml) throws IOException {
    try (InputStream in = WebhookSchemaExportTest.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, name + " is on the classpath");
      return yaml ? YAMLMapper.builder().build().readTree(in) : JsonMapper.builder().build().readTree(in);
    }
  }

  @Test
  void theGeneratedResourceHoldsWebhookEventAndWhatItReferencesAsTheDescriptionHasThem() throws IOException {
    JsonNode description = resource("api/openapi.yaml", true).path("components").path("schemas");
    JsonNode generated = resource("api/webhook-event.schema.json", false);
    assertEquals(List.of("components"), List.copyOf(generated.propertyNames()));
    JsonNode schemas = generated.path("components").path("schemas");
    assertTrue(schemas.has("WebhookEvent") && schemas.has("Appointment") && schemas.has("Npi"));
    assertFalse(schemas.has("OutboundEvent"), "the outbound events are not the intake's");
    assertFalse(schemas.has("Problem"), "nor the responses");
    for (String name : schemas.propertyNames()) {
      assertEquals(description.get(name), schemas.get(name), name);
    }
    assertEquals(WebhookSchemaExport.export(resource("api/openapi.yaml", true)), generated,
        "the resource is the export of this build's api/openapi.yaml");
  }

  @Test
  void validatesEverySampleAndBrokenVariantAsTheYamlDescriptionDoes() throws IOException {
    JsonSchemaEventValidator fromJson = new JsonSchemaEventValidator();
    JsonSchemaEventValidator fromYaml = new JsonSchemaEventValidator(YAML_LOCATION);
    List<Path> bodies = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("../../events"))) {
      files.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("apigw")).sorted().forEach(bodies::add);
    }
    assertTrue(bodies.size() > 20, "the samples, the edge cases and the outbound events (invalid as webhooks)");
    int refused = 0;
    for (Path p : bodies) {
      byte[] body = Files.readAllBytes(p);
      String a = outcome(fromJson, body);
      assertEquals(outcome(fromYaml, body), a, p.toString());
      refused += a.startsWith("refused") ? 1 : 0;
      // and each with one member removed, to reach the required/allOf branches
      JsonNode tree = JsonMapper.builder().build().readTree(body);
      if (tree.isObject()) {
        for (String member : List.copyOf(tree.propertyNames())) {
          var copy = ((tools.jackson.databind.node.ObjectNode) tree.deepCopy());
          copy.remove(member);
          byte[] broken = copy.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          assertEquals(outcome(fromYaml, broken), outcome(fromJson, broken), p + " without " + member);
        }
      }
    }
    assertTrue(refused > 0, "some bodies are refused (the invalid samples, the outbound events)");
  }

  private static String outcome(JsonSchemaEventValidator v, byte[] body) {
    try {
      ValidatedEvent e = v.validate(body);
      return "accepted " + e;
    } catch (InvalidEventException e) {
      return "refused " + e.getMessage() + " " + e.fields();
    }
  }
}
