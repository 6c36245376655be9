package io.telebridge.delivery;

import io.telebridge.aws.AwsSettings;
import io.telebridge.core.config.EnvironmentReader;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The platform delivery function's configuration, read once from the environment at cold start.
 *
 * <pre>
 *   PLATFORM_ENDPOINT_URL        where the platform receives EHR events, http(s) (required)
 *   PLATFORM_SIGNING_SECRET_ARN  Secrets Manager secret {"current": "...", "previous": "..."} (required; current signs)
 *   TO_PLATFORM_QUEUE_URL        the queue this function consumes: retries change its visibility (required)
 *   TO_PLATFORM_DLQ_URL          its FIFO DLQ: refused events go there at once (required)
 *   CONNECT_TIMEOUT_MS           TCP/TLS connect timeout (default 3000)
 *   REQUEST_TIMEOUT_MS           from sending the request to the response headers (default 10000)
 *   MAX_RETRY_DELAY_SECONDS      cap for Retry-After and backoff (default 900)
 *   SECRET_REFRESH_SECONDS       how often the secret is re-read (default 300)
 * </pre>
 */
public record DeliveryConfig(
    URI endpoint, String signingSecretArn, String queueUrl, String dlqUrl, Duration connectTimeout,
    Duration requestTimeout, Duration maxRetryDelay, Duration secretRefresh, AwsSettings aws) {

  public static DeliveryConfig fromEnvironment(Map<String, String> env) {
    EnvironmentReader read = new EnvironmentReader("platform delivery", env);
    String url = read.required("PLATFORM_ENDPOINT_URL");
    String secret = read.required("PLATFORM_SIGNING_SECRET_ARN");
    String queue = read.required("TO_PLATFORM_QUEUE_URL");
    String dlq = read.required("TO_PLATFORM_DLQ_URL");
    int connect = read.integer("CONNECT_TIMEOUT_MS", 3000);
    int request = read.integer("REQUEST_TIMEOUT_MS", 10_000);
    int maxDelay = read.integer("MAX_RETRY_DELAY_SECONDS", 900);
    int refresh = read.integer("SECRET_REFRESH_SECONDS", 300);
    read.check();
    URI endpoint;
    try {
      endpoint = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("platform delivery misconfigured: PLATFORM_ENDPOINT_URL is not a URI");
    }
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || endpoint.getHost() == null) {
      throw new IllegalStateException("platform delivery misconfigured: PLATFORM_ENDPOINT_URL must be an http(s) URL");
    }
    if (connect <= 0 || request <= 0 || maxDelay < 1 || maxDelay > 43_200 || refresh < 0) {
      throw new IllegalStateException("platform delivery misconfigured: timeouts must be positive, "
          + "MAX_RETRY_DELAY_SECONDS 1..43200 (SQS's 12 h), SECRET_REFRESH_SECONDS >= 0");
    }
    return new DeliveryConfig(endpoint, secret, queue, dlq, Duration.ofMillis(connect), Duration.ofMillis(request),
        Duration.ofSeconds(maxDelay), Duration.ofSeconds(refresh), AwsSettings.fromEnvironment(env));
  }
}
