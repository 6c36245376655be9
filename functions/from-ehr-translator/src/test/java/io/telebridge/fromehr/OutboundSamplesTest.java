package io.telebridge.fromehr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.telebridge.core.model.Identifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbound events built from the HL7 fixtures, end to end (reader → use case → JSON), against
 * the published schema ({@code api/openapi.yaml#/components/schemas/OutboundEvent}) and the golden
 * samples in {@code events/outbound/} (which {@code python3 api/check_samples.py} validates too).
 * Rewrite the samples after an intended change, then review the diff:
 * {@code mvn -pl functions/from-ehr-translator -am test -Dtest=OutboundSamplesTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 */
class OutboundSamplesTest {

  static final Path SAMPLES = FromEhrTranslatorHandlerTest.REPO.resolve("events/outbound");
  static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  static final Schema SCHEMA = schema();

  static Schema schema() {
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
        .pathType(PathType.JSON_POINTER).build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        b -> b.schemaRegistryConfig(config));
    Schema s = registry.getSchema(SchemaLocation.of("classpath:api/openapi.yaml#/components/schemas/OutboundEvent"));
    s.initializeValidators();
    return s;
  }

  /** sample name (path under events/outbound, without .json) and the fixtures that lead to it (the last one's event). */
  record Sample(String name, List<String> fixtures, int eventIndex) {}

  static Stream<Sample> samples() {
    return Stream.of(
        new Sample("ehr.result.available", List.of("oru-r01.v251.epic-like.hl7"), 0),
        new Sample("ehr.patient.updated", List.of("adt-a08.v23.zsegment.hl7"), 0),
        new Sample("ehr.appointment.changed", List.of("siu-s13.v251.hl7"), 0),
        new Sample("ehr.patients.merged", List.of("adt-a40.v251.hl7"), 0),
        new Sample("edge/ehr.result.available.corrected", List.of("oru-r01.v251.epic-like.hl7",
            "oru-r01.v24.corrected.cr.hl7"), 1),
        new Sample("edge/ehr.result.available.attachment", List.of("oru-r01.v251.ed-pdf.hl7"), 0),
        new Sample("edge/ehr.result.available.v23-escapes", List.of("oru-r01.v23.cerner-like.crlf.hl7"), 0),
        new Sample("edge/ehr.appointment.changed.cancelled", List.of("siu-s13.v251.hl7", "siu-s15.v251.cr.hl7"), 1));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void theEventFromTheFixtureMatchesTheSchemaAndItsSample(Sample sample) throws IOException {
    FromEhrTranslatorHandlerTest t = new FromEhrTranslatorHandlerTest();
    t.index.link(new Identifier("100877", "CERNMRN", "MR"), "pat-2002").link(new Identifier("100877", "EPI", "MR"), "pat-2002");
    FromEhrTranslatorHandler handler = t.handler();
    for (String f : sample.fixtures()) {
      handler.handle(FromEhrTranslatorHandlerTest.batch(FromEhrTranslatorHandlerTest.fixture(f)), null);
    }
    assertEquals(List.of(), t.deadLettered);
    JsonNode event = JSON.readTree(t.bodies.get(sample.eventIndex()));
    List<Error> errors = SCHEMA.validate(event);
    assertEquals(List.of(), errors.stream().map(e -> e.getInstanceLocation() + " " + e.getMessage()).toList());

    Path file = SAMPLES.resolve(sample.name() + ".json");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, JSON.writeValueAsString(event) + "\n", StandardCharsets.UTF_8);
    }
    assertTrue(Files.isRegularFile(file), file + " missing (run with -Dgolden.update=true)");
    assertEquals(JSON.readTree(Files.readString(file)), event, sample.name());
  }

  @Test
  void theSchemaRefusesAnEventWithAnUnknownMemberOrAWrongType() throws IOException {
    JsonNode bad = JSON.readTree("""
        {"eventId":"ehr-1","type":"ehr.patients.merged","occurredAt":"2025-11-22T08:00:00-05:00","tenant":"demo-clinic",
         "patient":{"platformPatientId":"pat-1001","mrn":{"value":"100234"}},
         "source":{"system":"ehr","controlId":"X","messageType":"ADT^A40"},
         "data":{"survivingMrn":{"value":"100234"},"mergedMrn":{"value":"100877"},"extra":1}}""");
    assertEquals(1, SCHEMA.validate(bad).size());
    JsonNode wrongData = JSON.readTree("""
        {"eventId":"ehr-1","type":"ehr.result.available","occurredAt":"2025-11-22T08:00:00-05:00","tenant":"demo-clinic",
         "patient":{"platformPatientId":"pat-1001","mrn":{"value":"100234"}},
         "source":{"system":"ehr","controlId":"X","messageType":"ORU^R01"},
         "data":{"survivingMrn":{"value":"100234"},"mergedMrn":{"value":"100877"}}}""");
    assertTrue(SCHEMA.validate(wrongData).size() >= 1);
  }
}
