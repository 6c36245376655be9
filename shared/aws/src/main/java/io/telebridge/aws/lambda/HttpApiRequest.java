package io.telebridge.aws.lambda;

import java.util.List;
import java.util.Map;

/**
 * An API Gateway HTTP API request, payload format 2.0, as far as the HTTP functions read it (intake,
 * context requests, review API, ops API, console). Read by {@link LambdaJson#httpRequest}; unknown
 * fields are ignored. Maps are never null (empty when absent); {@code body} may be null. The
 * {@link #toString()} names the method, path and request id only: headers, query and body may carry
 * patient data.
 */
public record HttpApiRequest(String routeKey, String rawPath, String rawQueryString, List<String> cookies,
    Map<String, String> headers, Map<String, String> queryStringParameters, String body, boolean isBase64Encoded,
    RequestContext requestContext) {

  public HttpApiRequest {
    cookies = cookies == null ? List.of() : List.copyOf(cookies);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    queryStringParameters = queryStringParameters == null ? Map.of() : Map.copyOf(queryStringParameters);
    requestContext = requestContext == null ? new RequestContext(null, null, null) : requestContext;
  }

  /** {@code requestContext}: the request id, {@code http} and the IAM authorizer's caller (each may be null). */
  public record RequestContext(String requestId, Http http, Iam iam) {}

  /** {@code requestContext.http}: the method and path. */
  public record Http(String method, String path) {}

  /** {@code requestContext.authorizer.iam}: the caller API Gateway's IAM authorizer verified. */
  public record Iam(String accessKey, String accountId, String callerId, String userArn) {}

  /** A request with a method, a path, headers and a text body (tests; priming). */
  public static HttpApiRequest of(String method, String rawPath, Map<String, String> headers, String body) {
    return new HttpApiRequest(null, rawPath, null, null, headers, null, body, false,
        new RequestContext(null, new Http(method, rawPath), null));
  }

  /** The API Gateway request id, or null. */
  public String requestId() {
    return requestContext.requestId();
  }

  /** The HTTP method as sent (null when absent). */
  public String method() {
    return requestContext.http() == null ? null : requestContext.http().method();
  }

  /** The IAM caller, or null (no IAM authorizer on the route). */
  public Iam iam() {
    return requestContext.iam();
  }

  public HttpApiRequest withRequestId(String requestId) {
    return new HttpApiRequest(routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, body,
        isBase64Encoded, new RequestContext(requestId, requestContext.http(), requestContext.iam()));
  }

  public HttpApiRequest withIam(Iam iam) {
    return new HttpApiRequest(routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, body,
        isBase64Encoded, new RequestContext(requestContext.requestId(), requestContext.http(), iam));
  }

  public HttpApiRequest withQuery(Map<String, String> query) {
    return new HttpApiRequest(routeKey, rawPath, rawQueryString, cookies, headers, query, body, isBase64Encoded,
        requestContext);
  }

  public HttpApiRequest withCookies(List<String> cookies) {
    return new HttpApiRequest(routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, body,
        isBase64Encoded, requestContext);
  }

  public HttpApiRequest withRouteKey(String routeKey) {
    return new HttpApiRequest(routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, body,
        isBase64Encoded, requestContext);
  }

  /** The same request with {@code body} as sent base64-encoded ({@code isBase64Encoded} true). */
  public HttpApiRequest withBase64Body(String base64) {
    return new HttpApiRequest(routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, base64,
        true, requestContext);
  }

  @Override
  public String toString() {
    return "HttpApiRequest[" + method() + " " + rawPath + " requestId=" + requestId() + "]";
  }
}
