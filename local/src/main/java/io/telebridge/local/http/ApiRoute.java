package io.telebridge.local.http;

import io.telebridge.local.lambda.LocalFunction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of an API Gateway API bound to a function: {@code POST /v1/events},
 * {@code GET /v1/patients/{id}}, {@code ANY /files/{proxy+}} or the HTTP API {@code $default}
 * route.
 *
 * @param apiType {@code HttpApi} (payload 2.0 unless {@code PayloadFormatVersion: "1.0"}) or
 *     {@code Api} (REST API, payload 1.0)
 * @param authorizer the route's authorizer ({@code AWS_IAM}: SigV4 enforced locally), or {@code null} for none
 */
public record ApiRoute(
    String apiType,
    String apiId,
    String method,
    String path,
    String payloadFormatVersion,
    String eventName,
    LocalFunction function,
    String authorizer) {

  public static final String AWS_IAM = "AWS_IAM";

  /** A route without an authorizer. */
  public ApiRoute(String apiType, String apiId, String method, String path, String payloadFormatVersion,
      String eventName, LocalFunction function) {
    this(apiType, apiId, method, path, payloadFormatVersion, eventName, function, null);
  }

  /** Whether callers must sign with SigV4 (the route's or its API's authorizer is {@code AWS_IAM}). */
  public boolean requiresIam() {
    return AWS_IAM.equals(authorizer);
  }

  /** Whether the route has an authorizer the local stack does not emulate (its requests are refused). */
  public boolean unsupportedAuthorizer() {
    return authorizer != null && !authorizer.equals(AWS_IAM) && !authorizer.equals("NONE");
  }

  private static final Pattern PARAM = Pattern.compile("\\{([^}/]+?)(\\+?)}");

  public boolean isDefaultRoute() {
    return "$default".equals(path);
  }

  public boolean anyMethod() {
    return method.equals("ANY") || method.equals("*");
  }

  /** {@code POST /v1/events}, or {@code $default}. */
  public String routeKey() {
    return isDefaultRoute() ? "$default" : (anyMethod() ? "ANY" : method) + " " + path;
  }

  /** Path parameters when the request path matches, or {@code null}. */
  public Map<String, String> match(String rawPath) {
    if (isDefaultRoute()) {
      return Map.of();
    }
    List<String> names = new ArrayList<>();
    StringBuilder regex = new StringBuilder("^");
    Matcher m = PARAM.matcher(path);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(path.substring(last, m.start())));
      names.add(m.group(1));
      regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
      last = m.end();
    }
    regex.append(Pattern.quote(path.substring(last))).append('$');
    Matcher request = Pattern.compile(regex.toString()).matcher(rawPath);
    if (!request.matches()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      params.put(names.get(i), URLDecoder.decode(request.group(i + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return params;
  }

  public boolean matchesMethod(String requestMethod) {
    return anyMethod() || isDefaultRoute() || method.equalsIgnoreCase(requestMethod);
  }

  /** Orders routes as API Gateway picks them: literal paths first, greedy and $default last. */
  int specificity() {
    if (isDefaultRoute()) {
      return Integer.MAX_VALUE;
    }
    int score = 0;
    Matcher m = PARAM.matcher(path);
    while (m.find()) {
      score += m.group(2).isEmpty() ? 1_000 : 1_000_000;
    }
    score -= path.length();
    return anyMethod() ? score + 1 : score;
  }

  static String normaliseMethod(String method) {
    return method == null ? "ANY" : method.toUpperCase(Locale.ROOT);
  }
}
