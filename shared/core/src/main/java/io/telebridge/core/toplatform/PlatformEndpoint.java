package io.telebridge.core.toplatform;

import java.util.Map;
import java.util.Optional;

/** Port: the platform's HTTP endpoint for EHR events. */
public interface PlatformEndpoint {

  /**
   * POSTs one event.
   *
   * @param headers the headers to send besides {@code Content-Type: application/json}
   * @return the platform's answer (any status)
   * @throws io.telebridge.core.error.TransientException when no answer came: connection refused or
   *     reset, timeout, TLS failure
   */
  Response post(Map<String, String> headers, byte[] body);

  /**
   * The platform's answer; the response body is not kept (it may echo patient data).
   *
   * @param retryAfter the raw {@code Retry-After} header, when present
   */
  record Response(int status, Optional<String> retryAfter) {

    public Response {
      retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
    }

    public static Response of(int status) {
      return new Response(status, Optional.empty());
    }
  }
}
