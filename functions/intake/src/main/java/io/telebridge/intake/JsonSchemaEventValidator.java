package io.telebridge.intake;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.telebridge.core.intake.EventValidator;
import io.telebridge.core.intake.InvalidEventException;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.ValidatedEvent;
import io.telebridge.json.EventRules;
import io.telebridge.json.MalformedEventException;
import io.telebridge.json.PlatformEventReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates webhook bodies with the JSON Schemas of the published API description
 * ({@code api/openapi.yaml}, {@code #/components/schemas/WebhookEvent}, JSON Schema 2020-12 with
 * format assertions on; read from the JSON the build generates from it, {@link #SCHEMA_LOCATION}),
 * through the networknt validator, and then, for a schema-valid body, with
 * {@link EventRules} and the translator's own {@link PlatformEventReader} ({@link
 * PlatformEventReader#problems}): characters the queues cannot carry, offsets beyond ±14:00, unknown
 * time zones, impossible dates, an end before the start, an NPI check digit. Every violation is
 * reported with its JSON Pointer; messages name the rule, never the submitted value.
 */
public final class JsonSchemaEventValidator implements EventValidator {

  /**
   * The schemas, generated from {@code api/openapi.yaml} by the build ({@link WebhookSchemaExport}): the same
   * trees at the same pointers, as JSON and without the rest of the description.
   */
  public static final String SCHEMA_LOCATION = "classpath:api/webhook-event.schema.json#/components/schemas/WebhookEvent";

  static final int MAX_ERRORS = 100;

  private final JsonMapper json;
  private final Schema schema;
  private final PlatformEventReader reader = new PlatformEventReader();

  public JsonSchemaEventValidator() {
    this(SCHEMA_LOCATION);
  }

  JsonSchemaEventValidator(String location) {
    this.json = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    SchemaRegistryConfig config = SchemaRegistryConfig.builder()
        .formatAssertionsEnabled(true)
        .pathType(PathType.JSON_POINTER)
        .build();
    // every $ref is local to the one document (api/check_samples.py checks it): nothing is fetched
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        b -> b.schemaRegistryConfig(config).schemaLoader(l -> l.fetchRemoteResources(false)));
    this.schema = registry.getSchema(SchemaLocation.of(location));
    this.schema.initializeValidators();
  }

  /** A minimal valid event (no patient data) that {@link #prime()} runs through the validator. */
  static final String PRIMING_EVENT = """
      {"id":"prime-0","type":"appointment.cancelled","occurredAt":"2026-01-01T00:00:00Z",
       "source":{"tenant":"prime"},"patient":{"id":"prime"},
       "data":{"appointment":{"id":"a","start":"2026-01-01T10:00:00-05:00","end":"2026-01-01T10:20:00-05:00",
         "timeZone":"America/New_York","provider":{"id":"p","npi":"1234567893"},"visitType":"follow_up"},
         "cancellation":{"cancelledBy":"patient"}}}""";

  /**
   * Runs one event through parsing and every schema keyword during init, so the classes and
   * caches are warm before the first request (and inside a SnapStart snapshot).
   */
  public JsonSchemaEventValidator prime() {
    validate(PRIMING_EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return this;
  }

  @Override
  public ValidatedEvent validate(byte[] body) {
    String text;
    try {
      text = PlatformEventReader.text(body);
    } catch (MalformedEventException e) {
      throw InvalidEventException.malformedJson("the body " + e.fields().get(0).message());
    }
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw InvalidEventException.malformedJson("the body is not valid JSON" + where);
    }
    if (root == null || root.isMissingNode()) {
      throw InvalidEventException.malformedJson("the body is empty");
    }
    if (!root.isObject()) {
      throw InvalidEventException.malformedJson("the body is not a JSON object");
    }
    List<InvalidField> outOfRange = new ArrayList<>();
    numbersOutOfRange(root, "", outOfRange);
    if (!outOfRange.isEmpty()) { // the schema library cannot compare them (it fails converting to long)
      throw new InvalidEventException(outOfRange.size() + " field(s) break the event schema",
          outOfRange.size() > MAX_ERRORS ? outOfRange.subList(0, MAX_ERRORS) : outOfRange);
    }
    List<Error> errors = schema.validate(root);
    Map<String, InvalidField> distinct = new LinkedHashMap<>();
    for (Error error : errors) {
      InvalidField field = describe(error);
      distinct.putIfAbsent(field.pointer(), field); // one message per field: the first rule it breaks
    }
    if (errors.isEmpty()) {
      // what JSON Schema cannot express: the rules the translator's reader applies (EventRules), run
      // by that same reader, so an event accepted here is one the translator can read
      reader.problems(root).forEach(f -> distinct.putIfAbsent(f.pointer(), f));
    }
    if (!distinct.isEmpty()) {
      List<InvalidField> fields = new ArrayList<>(distinct.values());
      if (fields.size() > MAX_ERRORS) {
        fields = fields.subList(0, MAX_ERRORS);
      }
      throw new InvalidEventException(fields.size() + " field(s) break the event schema", fields);
    }
    return new ValidatedEvent(
        root.path("id").asString(),
        root.path("type").asString(),
        root.path("source").path("tenant").asString(),
        root.path("patient").path("id").asString(),
        occurredAt(root.path("occurredAt").asString()));
  }

  /** No number in the API needs more than a 64-bit integer's range; larger ones (1e308, 1e400) are refused. */
  private static final double LONG_RANGE = 9.2e18;

  private static void numbersOutOfRange(JsonNode node, String pointer, List<InvalidField> out) {
    if (node.isNumber()) {
      boolean fits = node.isIntegralNumber() ? node.canConvertToLong()
          : Double.isFinite(node.doubleValue()) && Math.abs(node.doubleValue()) < LONG_RANGE;
      if (!fits) {
        out.add(new InvalidField(pointer, "is a number out of range"));
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        numbersOutOfRange(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        numbersOutOfRange(node.get(i), pointer + "/" + i, out);
      }
    }
  }

  private static Instant occurredAt(String value) {
    try {
      return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("1 field(s) break the event schema",
          List.of(new InvalidField("/occurredAt", "must be a valid date-time")));
    }
  }

  /** Pointer of the offending field; for "required" and unknown properties, the property itself. */
  static InvalidField describe(Error error) {
    String base = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    String property = error.getProperty();
    String pointer = base;
    if (property != null && (keyword.equals("required") || keyword.equals("additionalProperties")
        || keyword.equals("unevaluatedProperties") || keyword.equals("dependentRequired"))) {
      pointer = base + "/" + property.replace("~", "~0").replace("/", "~1");
    }
    return new InvalidField(pointer, messageFor(keyword, error));
  }

  private static String messageFor(String keyword, Error error) {
    JsonNode schemaNode = error.getSchemaNode();
    return switch (keyword) {
      case "required" -> "is required";
      case "additionalProperties", "unevaluatedProperties" -> "is not a known field";
      case "type" -> "must be of type " + schemaText(schemaNode);
      // the schemas end patterns with $(?![\s\S]) so that "$" cannot match before a final newline
      case "pattern" -> "must match the pattern " + schemaText(schemaNode).replace("$(?![\\s\\S])", "$");
      case "format" -> "must be a valid " + schemaText(schemaNode);
      case "enum" -> "must be one of " + schemaText(schemaNode);
      case "const" -> "must be " + schemaText(schemaNode);
      case "minLength" -> "must be at least " + schemaText(schemaNode) + " characters long";
      case "maxLength" -> "must be at most " + schemaText(schemaNode) + " characters long";
      case "minItems" -> "must have at least " + schemaText(schemaNode) + " items";
      case "maxItems" -> "must have at most " + schemaText(schemaNode) + " items";
      case "minimum" -> "must be at least " + schemaText(schemaNode);
      case "maximum" -> "must be at most " + schemaText(schemaNode);
      case "uniqueItems" -> "must not repeat items";
      default -> "breaks the schema rule '" + keyword + "'";
    };
  }

  private static String schemaText(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "the schema";
    }
    return node.isString() ? node.asString() : node.toString();
  }
}
