package io.telebridge.aws;

import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.Problem;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one problem+json writer of the HTTP functions (intake, review API, and any other behind the
 * HTTP API): RFC 9457 with {@code type} {@code urn:telebridge:problem:<name>}, {@code title},
 * {@code status}, {@code detail}, {@code instance} {@code urn:telebridge:request:<API Gateway request
 * id>} (when the id is a plain token) and {@code errors} (JSON pointer and message per invalid field);
 * {@code Content-Type: application/problem+json}, and {@code Retry-After} in whole seconds (at least
 * 1) when the problem has one. The headers map is mutable, for a caller's own header.
 */
public final class ProblemJson {

  public static final String CONTENT_TYPE = "application/problem+json";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ProblemJson() {}

  /** The response for {@code problem}; {@code requestId} may be null. */
  public static HttpApiResponse response(Problem problem, String requestId) {
    ObjectNode body = JSON.createObjectNode()
        .put("type", problem.type().toString())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.detail());
    if (requestId != null && requestId.matches("[A-Za-z0-9=_-]{1,128}")) {
      body.put("instance", "urn:telebridge:request:" + requestId);
    }
    if (!problem.errors().isEmpty()) {
      ArrayNode errors = body.putArray("errors");
      for (InvalidField field : problem.errors()) {
        errors.addObject().put("pointer", field.pointer()).put("message", field.message());
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", CONTENT_TYPE);
    if (problem.retryAfter() != null) {
      headers.put("Retry-After", Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
    }
    return HttpApiResponse.of(problem.status(), headers, JSON.writeValueAsString(body));
  }
}
