package io.telebridge.toehr;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.intake.InvalidField;
import io.telebridge.core.intake.Problem;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The review API's HTTP side: who called (the IAM identity API Gateway verified, which the ops API and the
 * console use too), the route, the query and the JSON body checked, the request refused with its problem
 * ({@link Refused}), and the JSON answer.
 */
final class ReviewApiRequest {

  static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:|#-]{0,255}");
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MAX_BODY = 4096;

  private ReviewApiRequest() {}

  /** A request the API refuses, mapped to its problem in {@link ReviewApiHandler#handleRequest} only. */
  static final class Refused extends RuntimeException {
    private final transient Problem problem;

    Refused(Problem problem) {
      super(problem.title(), null, false, false);
      this.problem = problem;
    }

    Problem problem() {
      return problem;
    }
  }

  /** The caller as API Gateway's IAM authorizer verified it: the user or role ARN, else the access key. */
  static String caller(HttpApiRequest event) {
    if (event == null || event.iam() == null) {
      return null;
    }
    var iam = event.iam();
    if (iam.userArn() != null && !iam.userArn().isBlank()) {
      return iam.userArn();
    }
    return iam.accessKey() == null || iam.accessKey().isBlank() ? null : iam.accessKey();
  }

  static String method(HttpApiRequest event) {
    if (event != null && event.method() != null) {
      return event.method().toUpperCase(java.util.Locale.ROOT);
    }
    return "GET";
  }

  static String routeOf(HttpApiRequest event) {
    return event == null || event.routeKey() == null ? "-" : event.routeKey();
  }

  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    if (rawPath == null) {
      return out;
    }
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The caller's tenants the list shows: all of them, or the one {@code ?tenant=} names (another is 403). */
  static List<String> listed(HttpApiRequest event, Set<String> tenants) {
    Optional<String> asked = query(event, "tenant");
    if (asked.isEmpty()) {
      return List.copyOf(tenants);
    }
    if (!TENANT.matcher(asked.get()).matches()) {
      throw new Refused(invalid(new InvalidField("tenant", "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")));
    }
    if (!tenants.contains(asked.get())) {
      throw new Refused(problem("forbidden", "Forbidden", 403, "the caller may not act for this tenant"));
    }
    return List.of(asked.get());
  }

  static boolean includesDemographics(HttpApiRequest event) {
    Optional<String> include = query(event, "include");
    if (include.isEmpty()) {
      return false;
    }
    if (!include.get().equals("demographics")) {
      throw new Refused(invalid(new InvalidField("include", "must be demographics")));
    }
    return true;
  }

  static Optional<String> query(HttpApiRequest event, String name) {
    Map<String, String> q = event.queryStringParameters();
    String v = q == null ? null : q.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  static JsonNode body(HttpApiRequest event) {
    String raw = event.body();
    if (raw == null || raw.isEmpty()) {
      throw new Refused(problem("malformed-json", "Bad Request", 400, "the body must be a JSON object"));
    }
    byte[] bytes;
    try {
      bytes = event.isBase64Encoded() ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refused(problem("malformed-json", "Bad Request", 400, "the body must be a JSON object"));
    }
    if (bytes.length > MAX_BODY) {
      throw new Refused(problem("payload-too-large", "Content Too Large", 413, "the body is over " + MAX_BODY + " bytes"));
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new Refused(problem("malformed-json", "Bad Request", 400, "the body must be a JSON object"));
      }
      return node;
    } catch (JacksonException e) {
      throw new Refused(problem("malformed-json", "Bad Request", 400, "the body is not valid JSON"));
    }
  }

  static void checkFields(JsonNode request, Set<String> allowed) {
    List<InvalidField> unknown = new ArrayList<>();
    for (String name : request.propertyNames()) {
      if (!allowed.contains(name)) {
        unknown.add(new InvalidField("/" + name.replace("~", "~0").replace("/", "~1"), "is not allowed"));
      }
    }
    if (!unknown.isEmpty()) {
      throw new Refused(invalid(unknown.toArray(InvalidField[]::new)));
    }
  }

  // ------------------------------------------------------------------ responses

  static Refused notFound(String detail) {
    return new Refused(problem("not-found", "Not Found", 404, detail));
  }

  static Refused badBody(InvalidField field) {
    return new Refused(invalid(field));
  }

  static Problem invalid(InvalidField... fields) {
    return new Problem(URI.create("urn:telebridge:problem:invalid-request"), "Bad Request", 400,
        "the request has invalid fields", List.of(fields), null);
  }

  static Problem problem(String slug, String title, int status, String detail) {
    return new Problem(URI.create("urn:telebridge:problem:" + slug), title, status, detail, List.of(), null);
  }

  static HttpApiResponse ok(ObjectNode body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    return HttpApiResponse.of(200, headers, JSON.writeValueAsString(body));
  }

  static String requestId(HttpApiRequest event) {
    return event == null ? null : event.requestId();
  }
}
