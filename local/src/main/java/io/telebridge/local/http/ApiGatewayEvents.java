package io.telebridge.local.http;

import io.telebridge.local.template.StackResolver;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the events API Gateway sends to a Lambda proxy integration and reads the function's
 * answer back, following AWS's documented payload formats:
 * <ul>
 *   <li>HTTP API, payload 2.0: lower-cased headers with repeats comma-joined, {@code cookies},
 *       {@code rawPath} / {@code rawQueryString}, query parameters comma-joined, the body base64
 *       encoded unless the content type is {@code text/*}, {@code application/json},
 *       {@code application/xml} or {@code application/javascript} (measured on AWS: everything
 *       else, a missing content type included, arrives base64 encoded). A result without
 *       {@code statusCode} is sent as a 200 {@code application/json} body.</li>
 *   <li>REST API (and HTTP API with payload 1.0): {@code multiValueHeaders},
 *       {@code multiValueQueryStringParameters}, {@code resource}, stage in
 *       {@code requestContext.path}; the body as text (no binary media types locally).</li>
 * </ul>
 */
public final class ApiGatewayEvents {

  public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private ApiGatewayEvents() {}

  /** An HTTP API style request id, e.g. {@code JKJaXmPLvHcESHA=}. */
  public static String newRequestId() {
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  static String traceId(Instant now) {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + HexFormat.of().formatHex(bytes);
  }

  /** Whether HTTP API passes a body of this content type as text (else base64). */
  public static boolean isTextContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return false;
    }
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return media.startsWith("text/")
        || media.equals("application/json")
        || media.equals("application/xml")
        || media.equals("application/javascript");
  }

  /** The HTTP API payload format 2.0 event. */
  public static byte[] httpApiV2Event(ApiRequest request, ApiRoute route, Map<String, String> pathParameters,
      String requestId, Instant now) {
    return httpApiV2Event(request, route, pathParameters, requestId, now, null);
  }

  /** The HTTP API payload format 2.0 event; {@code caller}: the IAM identity of an {@code AWS_IAM} route. */
  public static byte[] httpApiV2Event(ApiRequest request, ApiRoute route, Map<String, String> pathParameters,
      String requestId, Instant now, SigV4Verifier.Identity caller) {
    ObjectNode e = JSON.createObjectNode();
    e.put("version", "2.0");
    e.put("routeKey", route.routeKey());
    e.put("rawPath", request.rawPath());
    e.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());
    List<String> cookies = request.cookies();
    if (!cookies.isEmpty()) {
      ArrayNode c = e.putArray("cookies");
      cookies.forEach(c::add);
    }
    ObjectNode headers = e.putObject("headers");
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("cookie")) {
        continue;
      }
      String joined = String.join(",", h.getValue());
      headers.put(name, headers.has(name) ? headers.get(name).asString() + "," + joined : joined);
    }
    forwarded(headers, request, now);
    Map<String, List<String>> query = request.queryParameters();
    if (!query.isEmpty()) {
      ObjectNode q = e.putObject("queryStringParameters");
      query.forEach((k, v) -> q.put(k, String.join(",", v)));
    }
    ObjectNode ctx = e.putObject("requestContext");
    ctx.put("accountId", StackResolver.ACCOUNT_ID);
    ctx.put("apiId", route.apiId());
    if (caller != null) {
      ObjectNode iam = ctx.putObject("authorizer").putObject("iam");
      iam.put("accessKey", caller.accessKey());
      iam.put("accountId", caller.accountId());
      iam.put("callerId", caller.callerId());
      iam.putNull("cognitoIdentity");
      iam.putNull("principalOrgId");
      iam.put("userArn", caller.userArn());
      iam.put("userId", caller.callerId());
    }
    String domain = domainName(request, route);
    ctx.put("domainName", domain);
    ctx.put("domainPrefix", domain.split("\\.", 2)[0]);
    ObjectNode http = ctx.putObject("http");
    http.put("method", request.method());
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", request.header("User-Agent") == null ? "" : request.header("User-Agent"));
    ctx.put("requestId", requestId);
    ctx.put("routeKey", route.routeKey());
    ctx.put("stage", "$default");
    ctx.put("time", REQUEST_TIME.format(now));
    ctx.put("timeEpoch", now.toEpochMilli());
    if (!pathParameters.isEmpty()) {
      ObjectNode p = e.putObject("pathParameters");
      pathParameters.forEach(p::put);
    }
    body(e, request, true);
    return JSON.writeValueAsBytes(e);
  }

  /** The payload format 1.0 event (REST API, or HTTP API with PayloadFormatVersion 1.0). */
  public static byte[] proxyV1Event(ApiRequest request, ApiRoute route, Map<String, String> pathParameters,
      String requestId, Instant now) {
    return proxyV1Event(request, route, pathParameters, requestId, now, null);
  }

  /** The payload format 1.0 event; {@code caller}: the IAM identity of an {@code AWS_IAM} route. */
  public static byte[] proxyV1Event(ApiRequest request, ApiRoute route, Map<String, String> pathParameters,
      String requestId, Instant now, SigV4Verifier.Identity caller) {
    boolean rest = route.apiType().equals("Api");
    String stage = rest ? "Prod" : "$default";
    ObjectNode e = JSON.createObjectNode();
    e.put("resource", route.isDefaultRoute() ? "$default" : route.path());
    e.put("path", request.rawPath());
    e.put("httpMethod", request.method());
    ObjectNode headers = e.putObject("headers");
    ObjectNode multiHeaders = e.putObject("multiValueHeaders");
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      List<String> values = h.getValue();
      if (values.isEmpty()) {
        continue;
      }
      headers.put(h.getKey(), values.get(values.size() - 1));
      ArrayNode a = multiHeaders.putArray(h.getKey());
      values.forEach(a::add);
    }
    Map<String, List<String>> query = request.queryParameters();
    if (query.isEmpty()) {
      e.putNull("queryStringParameters");
      e.putNull("multiValueQueryStringParameters");
    } else {
      ObjectNode q = e.putObject("queryStringParameters");
      ObjectNode mq = e.putObject("multiValueQueryStringParameters");
      query.forEach((k, v) -> {
        q.put(k, v.get(v.size() - 1));
        ArrayNode a = mq.putArray(k);
        v.forEach(a::add);
      });
    }
    if (pathParameters.isEmpty()) {
      e.putNull("pathParameters");
    } else {
      ObjectNode p = e.putObject("pathParameters");
      pathParameters.forEach(p::put);
    }
    e.putNull("stageVariables");
    ObjectNode ctx = e.putObject("requestContext");
    ctx.put("accountId", StackResolver.ACCOUNT_ID);
    ctx.put("apiId", route.apiId());
    String domain = domainName(request, route);
    ctx.put("domainName", domain);
    ctx.put("domainPrefix", domain.split("\\.", 2)[0]);
    ctx.put("extendedRequestId", requestId);
    ctx.put("httpMethod", request.method());
    ObjectNode identity = ctx.putObject("identity");
    identity.put("sourceIp", request.sourceIp());
    identity.put("userAgent", request.header("User-Agent"));
    if (caller != null) {
      identity.put("accessKey", caller.accessKey());
      identity.put("accountId", caller.accountId());
      identity.put("caller", caller.callerId());
      identity.put("user", caller.callerId());
      identity.put("userArn", caller.userArn());
    }
    ctx.put("path", rest ? "/" + stage + request.rawPath() : request.rawPath());
    ctx.put("protocol", request.protocol());
    ctx.put("requestId", requestId);
    ctx.put("requestTime", REQUEST_TIME.format(now));
    ctx.put("requestTimeEpoch", now.toEpochMilli());
    ctx.put("resourceId", Integer.toHexString(route.routeKey().hashCode() & 0xffffff));
    ctx.put("resourcePath", route.isDefaultRoute() ? "$default" : route.path());
    ctx.put("stage", stage);
    body(e, request, !rest);
    return JSON.writeValueAsBytes(e);
  }

  private static void forwarded(ObjectNode headers, ApiRequest request, Instant now) {
    String xff = headers.has("x-forwarded-for")
        ? headers.get("x-forwarded-for").asString() + ", " + request.sourceIp()
        : request.sourceIp();
    headers.put("x-forwarded-for", xff);
    headers.put("x-forwarded-port", Integer.toString(request.localPort()));
    headers.put("x-forwarded-proto", "http");
    if (!headers.has("x-amzn-trace-id")) {
      headers.put("x-amzn-trace-id", traceId(now));
    }
  }

  private static String domainName(ApiRequest request, ApiRoute route) {
    String host = request.header("Host");
    if (host == null || host.isBlank()) {
      return route.apiId() + ".execute-api." + StackResolver.REGION + "." + StackResolver.URL_SUFFIX;
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
  }

  private static void body(ObjectNode e, ApiRequest request, boolean httpApiEncoding) {
    byte[] body = request.body();
    if (body == null || body.length == 0) {
      if (httpApiEncoding) {
        e.put("isBase64Encoded", false);
      } else {
        e.putNull("body");
        e.put("isBase64Encoded", false);
      }
      return;
    }
    boolean text = !httpApiEncoding || isTextContentType(request.header("Content-Type"));
    if (text) {
      e.put("body", new String(body, StandardCharsets.UTF_8));
      e.put("isBase64Encoded", false);
    } else {
      e.put("body", Base64.getEncoder().encodeToString(body));
      e.put("isBase64Encoded", true);
    }
  }

  /** What goes back to the HTTP client. */
  public record ApiResponse(int status, Map<String, List<String>> headers, byte[] body) {

    static ApiResponse json(int status, String json) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("Content-Type", new ArrayList<>(List.of("application/json")));
      return new ApiResponse(status, headers, json.getBytes(StandardCharsets.UTF_8));
    }
  }

  static ApiResponse notFound() {
    return ApiResponse.json(404, "{\"message\":\"Not Found\"}");
  }

  /** API Gateway's answer when the IAM authorizer refuses a request. */
  static ApiResponse forbidden() {
    return ApiResponse.json(403, "{\"message\":\"Forbidden\"}");
  }

  static ApiResponse tooLarge() {
    return ApiResponse.json(413, "{\"message\":\"Request Entity Too Large\"}");
  }

  static ApiResponse functionFailed(ApiRoute route) {
    return route.apiType().equals("Api")
        ? ApiResponse.json(502, "{\"message\": \"Internal server error\"}")
        : ApiResponse.json(500, "{\"message\":\"Internal Server Error\"}");
  }

  /** Reads a function's result as API Gateway does for the route's payload format. */
  public static ApiResponse toResponse(byte[] result, ApiRoute route) {
    boolean v2 = route.apiType().equals("HttpApi") && !"1.0".equals(route.payloadFormatVersion());
    JsonNode node;
    try {
      node = JSON.readTree(result);
    } catch (JacksonException e) {
      return functionFailed(route);
    }
    if (node == null || !node.isObject() || !node.has("statusCode")) {
      if (!v2) {
        return functionFailed(route);
      }
      // payload 2.0: API Gateway assumes 200, application/json, body = the function's result
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("Content-Type", new ArrayList<>(List.of("application/json")));
      return new ApiResponse(200, headers, result);
    }
    int status;
    JsonNode statusNode = node.get("statusCode");
    if (statusNode.isIntegralNumber()) {
      status = statusNode.asInt();
    } else if (statusNode.isString() && statusNode.asString().matches("\\d{3}")) {
      status = Integer.parseInt(statusNode.asString());
    } else {
      return functionFailed(route);
    }
    if (status < 100 || status > 599) {
      return functionFailed(route);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    JsonNode h = node.get("headers");
    if (h != null && h.isObject()) {
      for (Map.Entry<String, JsonNode> e : h.properties()) {
        if (!e.getValue().isNull()) {
          headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(text(e.getValue()));
        }
      }
    }
    JsonNode mh = node.get("multiValueHeaders");
    if (mh != null && mh.isObject()) {
      for (Map.Entry<String, JsonNode> e : mh.properties()) {
        List<String> values = headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
        if (e.getValue().isArray()) {
          for (JsonNode v : e.getValue()) {
            if (!values.contains(text(v))) {
              values.add(text(v));
            }
          }
        }
      }
    }
    JsonNode cookies = node.get("cookies");
    if (v2 && cookies != null && cookies.isArray()) {
      for (JsonNode c : cookies) {
        headers.computeIfAbsent("Set-Cookie", k -> new ArrayList<>()).add(text(c));
      }
    }
    JsonNode bodyNode = node.get("body");
    byte[] body;
    if (bodyNode == null || bodyNode.isNull()) {
      body = new byte[0];
    } else {
      String text = bodyNode.isString() ? bodyNode.asString() : JSON.writeValueAsString(bodyNode);
      JsonNode b64 = node.get("isBase64Encoded");
      boolean encoded = b64 != null && (b64.asBoolean() || "true".equalsIgnoreCase(b64.asString()));
      if (encoded) {
        try {
          body = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          return functionFailed(route);
        }
      } else {
        body = text.getBytes(StandardCharsets.UTF_8);
      }
    }
    return new ApiResponse(status, headers, body);
  }

  private static String text(JsonNode value) {
    return value.isString() ? value.asString() : value.toString();
  }
}
