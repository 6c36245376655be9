package io.telebridge.delivery;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.toplatform.PlatformEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@link PlatformEndpoint} over the JDK's HTTP client: one client per container (its connection
 * pool is reused across invocations), HTTP/1.1, redirects not followed (a 3xx is an answer), the
 * response body discarded unread beyond what the connection needs.
 */
public final class HttpPlatformEndpoint implements PlatformEndpoint {

  static final String USER_AGENT = "telebridge-platform-delivery/1";

  private final HttpClient client;
  private final URI endpoint;
  private final Duration requestTimeout;

  public HttpPlatformEndpoint(URI endpoint, Duration connectTimeout, Duration requestTimeout) {
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.endpoint = endpoint;
    this.requestTimeout = requestTimeout;
  }

  /**
   * The same endpoint for SnapStart priming: each request is built exactly as {@link #post} builds it, and
   * answered 204 without being sent (no platform call).
   */
  public PlatformEndpoint unsent() {
    return (headers, body) -> {
      request(headers, body);
      return new Response(204, java.util.Optional.empty());
    };
  }

  private HttpRequest request(Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return request.build();
  }

  @Override
  public Response post(Map<String, String> headers, byte[] body) {
    HttpRequest request = request(headers, body);
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      return new Response(response.statusCode(), response.headers().firstValue("Retry-After"));
    } catch (IOException e) {
      // connection refused or reset, HttpTimeoutException / HttpConnectTimeoutException, TLS handshake
      throw new TransientException("no answer from the platform (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted while waiting for the platform", e);
    }
  }
}
