package io.telebridge.aws.lambda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An API Gateway HTTP API response, payload format 2.0: written by {@link LambdaJson#write(HttpApiResponse,
 * java.io.OutputStream)}. {@code headers} is a mutable copy (a caller may add its own header, e.g.
 * {@code WWW-Authenticate}); {@code cookies} become {@code Set-Cookie} headers. The {@link #toString()}
 * names the status only: the body may carry patient data.
 */
public record HttpApiResponse(int statusCode, Map<String, String> headers, List<String> cookies, String body,
    boolean isBase64Encoded) {

  public HttpApiResponse {
    headers = headers == null ? new LinkedHashMap<>() : new LinkedHashMap<>(headers);
    cookies = cookies == null ? List.of() : List.copyOf(cookies);
  }

  /** A text answer. */
  public static HttpApiResponse of(int statusCode, Map<String, String> headers, String body) {
    return new HttpApiResponse(statusCode, headers, null, body, false);
  }

  public HttpApiResponse withCookies(List<String> cookies) {
    return new HttpApiResponse(statusCode, headers, cookies, body, isBase64Encoded);
  }

  @Override
  public String toString() {
    return "HttpApiResponse[" + statusCode + "]";
  }
}
