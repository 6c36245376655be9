package io.telebridge.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.telebridge.aws.ProblemJson;
import io.telebridge.core.intake.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one codec between the Lambda runtime's bytes and the functions: every function is a
 * {@link com.amazonaws.services.lambda.runtime.RequestStreamHandler} that hands its input and output
 * streams to {@link #http} (API Gateway HTTP API, payload 2.0) or {@link #sqs} (an SQS event with
 * ReportBatchItemFailures). It replaces the runtime's POJO serializers (aws-lambda-java-serialization:
 * reflection over aws-lambda-java-events, its own shaded Jackson, joda-time for the SQS event), whose
 * first use after a SnapStart restore cost more than the handler itself and which priming cannot warm.
 *
 * <p>It reads the JSON tree with the project's Jackson and maps the fields by name into small records
 * ({@link HttpApiRequest}, {@link SqsEvent}) — no bean introspection, no annotations, so the first call
 * loads few classes and priming (the synthetic request through the same entry) warms every path.
 * Unknown fields are ignored; missing ones are null or empty. A request that is not JSON is answered
 * 400 problem+json on the HTTP path; on the SQS path it throws, so the invocation fails and the whole
 * batch returns to the queue (nothing is lost). Errors name the problem, never the input (PHI).
 */
public final class LambdaJson {

  /** One mapper per process for the codec (thread-safe). */
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LambdaJson() {}

  /** What an HTTP function does with one request. */
  @FunctionalInterface
  public interface HttpFunction {
    HttpApiResponse handle(HttpApiRequest request, Context context);
  }

  /** What an SQS function does with one batch. */
  @FunctionalInterface
  public interface SqsFunction {
    SqsBatchResponse handle(SqsEvent event, Context context);
  }

  /** The event is not what the function takes (not JSON, or not an object of the expected shape). */
  public static final class BadEvent extends IllegalArgumentException {
    public BadEvent(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An HTTP function's stream entry: the request read, handled, the answer written; bad JSON: 400. */
  public static void http(InputStream input, OutputStream output, Context context, HttpFunction function)
      throws IOException {
    HttpApiRequest request;
    try {
      request = httpRequest(input);
    } catch (BadEvent e) {
      write(ProblemJson.response(new Problem(URI.create("urn:telebridge:problem:bad-request"), "Bad Request", 400,
          "the request event is not an API Gateway HTTP API (2.0) request", List.of(), null), null), output);
      return;
    }
    write(function.handle(request, context), output);
  }

  /** An SQS function's stream entry: the batch read, handled, the batch item failures written. Bad JSON throws. */
  public static void sqs(InputStream input, OutputStream output, Context context, SqsFunction function)
      throws IOException {
    write(function.handle(sqsEvent(input), context), output);
  }

  /** Reads a JSON object (the context pull's own input); not JSON or not an object: {@link BadEvent}. */
  public static JsonNode readObject(InputStream input) {
    JsonNode tree;
    try {
      tree = JSON.readTree(input);
    } catch (JacksonException e) {
      throw new BadEvent("the event is not JSON (" + e.getClass().getSimpleName() + ")", null);
    }
    if (tree == null || !tree.isObject()) {
      throw new BadEvent("the event is not a JSON object", null);
    }
    return tree;
  }

  /** Writes a JSON tree (the context pull's answer). */
  public static void write(JsonNode node, OutputStream output) {
    JSON.writeValue(output, node);
  }

  /** A new empty JSON object of the codec's mapper. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  // ---- API Gateway HTTP API, payload 2.0 ----

  public static HttpApiRequest httpRequest(InputStream input) {
    return httpRequest(readObject(input));
  }

  static HttpApiRequest httpRequest(JsonNode in) {
    JsonNode ctx = in.path("requestContext");
    JsonNode http = ctx.path("http");
    JsonNode iam = ctx.path("authorizer").path("iam");
    return new HttpApiRequest(
        text(in, "routeKey"),
        text(in, "rawPath"),
        text(in, "rawQueryString"),
        strings(in.get("cookies")),
        stringMap(in.get("headers")),
        stringMap(in.get("queryStringParameters")),
        text(in, "body"),
        in.path("isBase64Encoded").asBoolean(false),
        new HttpApiRequest.RequestContext(
            text(ctx, "requestId"),
            http.isObject() ? new HttpApiRequest.Http(text(http, "method"), text(http, "path")) : null,
            iam.isObject() ? new HttpApiRequest.Iam(text(iam, "accessKey"), text(iam, "accountId"),
                text(iam, "callerId"), text(iam, "userArn")) : null));
  }

  public static void write(HttpApiResponse response, OutputStream output) {
    ObjectNode out = JSON.createObjectNode();
    out.put("statusCode", response.statusCode());
    ObjectNode headers = out.putObject("headers");
    response.headers().forEach(headers::put);
    if (!response.cookies().isEmpty()) {
      ArrayNode cookies = out.putArray("cookies");
      response.cookies().forEach(cookies::add);
    }
    if (response.body() != null) {
      out.put("body", response.body());
    }
    out.put("isBase64Encoded", response.isBase64Encoded());
    JSON.writeValue(output, out);
  }

  /** Reads an answer as written by {@link #write(HttpApiResponse, OutputStream)} (the local stack; tests). */
  public static HttpApiResponse httpResponse(byte[] json) {
    JsonNode in = readObject(new java.io.ByteArrayInputStream(json));
    return new HttpApiResponse(in.path("statusCode").asInt(0), stringMap(in.get("headers")), strings(in.get("cookies")),
        text(in, "body"), in.path("isBase64Encoded").asBoolean(false));
  }

  // ---- SQS ----

  public static SqsEvent sqsEvent(InputStream input) {
    JsonNode in = readObject(input);
    JsonNode records = in.get("Records");
    if (records == null || !records.isArray()) {
      throw new BadEvent("the event is not an SQS event (no Records)", null);
    }
    List<SqsMessage> out = new ArrayList<>(records.size());
    for (JsonNode r : records) {
      Map<String, String> messageAttributes = new LinkedHashMap<>();
      JsonNode attrs = r.get("messageAttributes");
      if (attrs != null && attrs.isObject()) {
        for (Map.Entry<String, JsonNode> a : attrs.properties()) {
          String value = text(a.getValue(), "stringValue");
          if (value != null) {
            messageAttributes.put(a.getKey(), value);
          }
        }
      }
      out.add(new SqsMessage(text(r, "messageId"), text(r, "receiptHandle"), text(r, "body"),
          stringMap(r.get("attributes")), messageAttributes, text(r, "eventSourceARN")));
    }
    return new SqsEvent(out);
  }

  public static void write(SqsBatchResponse response, OutputStream output) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode failures = out.putArray("batchItemFailures");
    for (String id : response.batchItemFailures()) {
      failures.addObject().put("itemIdentifier", id);
    }
    JSON.writeValue(output, out);
  }

  /** Reads an answer as written by {@link #write(SqsBatchResponse, OutputStream)} (the local stack; tests). */
  public static SqsBatchResponse sqsResponse(byte[] json) {
    JsonNode in = readObject(new java.io.ByteArrayInputStream(json));
    List<String> ids = new ArrayList<>();
    for (JsonNode f : in.path("batchItemFailures")) {
      String id = text(f, "itemIdentifier");
      if (id != null) {
        ids.add(id);
      }
    }
    return new SqsBatchResponse(ids);
  }

  // ---- the events as Lambda hands them over (priming through the stream entry; the local stack; tests) ----

  /** {@code request} as API Gateway hands it to Lambda (payload 2.0). */
  public static byte[] bytes(HttpApiRequest request) {
    ObjectNode out = JSON.createObjectNode().put("version", "2.0");
    putText(out, "routeKey", request.routeKey());
    putText(out, "rawPath", request.rawPath());
    putText(out, "rawQueryString", request.rawQueryString());
    if (!request.cookies().isEmpty()) {
      ArrayNode cookies = out.putArray("cookies");
      request.cookies().forEach(cookies::add);
    }
    ObjectNode headers = out.putObject("headers");
    request.headers().forEach(headers::put);
    if (!request.queryStringParameters().isEmpty()) {
      ObjectNode query = out.putObject("queryStringParameters");
      request.queryStringParameters().forEach(query::put);
    }
    ObjectNode ctx = out.putObject("requestContext");
    putText(ctx, "requestId", request.requestId());
    if (request.requestContext().http() != null) {
      ObjectNode http = ctx.putObject("http");
      putText(http, "method", request.requestContext().http().method());
      putText(http, "path", request.requestContext().http().path());
    }
    if (request.iam() != null) {
      ObjectNode iam = ctx.putObject("authorizer").putObject("iam");
      putText(iam, "accessKey", request.iam().accessKey());
      putText(iam, "accountId", request.iam().accountId());
      putText(iam, "callerId", request.iam().callerId());
      putText(iam, "userArn", request.iam().userArn());
    }
    putText(out, "body", request.body());
    out.put("isBase64Encoded", request.isBase64Encoded());
    return JSON.writeValueAsBytes(out);
  }

  /** {@code event} as Lambda's SQS event source hands it over. */
  public static byte[] bytes(SqsEvent event) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode records = out.putArray("Records");
    for (SqsMessage m : event.records()) {
      ObjectNode r = records.addObject();
      putText(r, "messageId", m.messageId());
      putText(r, "receiptHandle", m.receiptHandle());
      putText(r, "body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      m.attributes().forEach(attributes::put);
      ObjectNode messageAttributes = r.putObject("messageAttributes");
      m.messageAttributes().forEach((name, value) ->
          messageAttributes.putObject(name).put("stringValue", value).put("dataType", "String"));
      r.put("eventSource", "aws:sqs");
      putText(r, "eventSourceARN", m.eventSourceArn());
    }
    return JSON.writeValueAsBytes(out);
  }

  /**
   * A function's stream entry on {@code event}'s bytes, the answer's bytes returned: what Lambda does
   * with an invoke. Priming runs its synthetic request through it, so that the codec's and Jackson's
   * paths are warm after a restore.
   */
  public static byte[] invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler function, byte[] event,
      Context context) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    function.handleRequest(new java.io.ByteArrayInputStream(event), out, context);
    return out.toByteArray();
  }

  /**
   * An HTTP function invoked as Lambda invokes it: {@code request}'s bytes through its stream entry, the answer's
   * bytes read back (tests and tools; an I/O error of the in-memory streams cannot happen, the handler's own is rethrown).
   */
  public static HttpApiResponse invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler function,
      HttpApiRequest request) {
    try {
      return httpResponse(invoke(function, bytes(request), null));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * An SQS function's priming through its stream entry, without side effects: an empty batch through
   * {@code function} (the codec, the batch loop, the answer), and a synthetic FIFO record (no patient
   * data) read and a batch item failure written by the codec alone (so the record paths are warm too).
   */
  public static void primeSqs(com.amazonaws.services.lambda.runtime.RequestStreamHandler function)
      throws IOException {
    sqsResponse(invoke(function, bytes(new SqsEvent(List.of())), null));
    SqsEvent synthetic = sqsEvent(new java.io.ByteArrayInputStream(bytes(SqsEvent.of(
        new SqsMessage("prime", "prime", "{}", Map.of("MessageGroupId", "prime", "ApproximateReceiveCount", "1",
            "SentTimestamp", "0"), Map.of("eventId", "prime"), "arn:aws:sqs:us-east-1:000000000000:prime.fifo")))));
    write(new SqsBatchResponse(List.of(synthetic.records().get(0).messageId())), new java.io.ByteArrayOutputStream());
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  // ---- fields ----

  private static String text(JsonNode in, String field) {
    JsonNode v = in == null ? null : in.get(field);
    if (v == null || v.isNull() || v.isContainer()) {
      return null;
    }
    return v.isString() ? v.stringValue() : v.asString();
  }

  private static Map<String, String> stringMap(JsonNode in) {
    if (in == null || !in.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : in.properties()) {
      JsonNode v = e.getValue();
      if (v != null && !v.isNull() && !v.isContainer()) {
        out.put(e.getKey(), v.isString() ? v.stringValue() : v.asString());
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode in) {
    if (in == null || !in.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(in.size());
    for (JsonNode v : in) {
      if (v.isString()) {
        out.add(v.stringValue());
      }
    }
    return out;
  }
}
