package io.telebridge.local;

import io.telebridge.core.webhook.WebhookSignature;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * The one way the local tools POST a body signed as the platform signs its webhooks ({@code send},
 * {@code context}, the benches): the exact bytes, JSON, the timestamp now and its signature headers.
 */
public final class SignedPost {

  private SignedPost() {}

  public static HttpRequest of(URI url, String secret, byte[] body, Duration timeout) {
    long timestamp = Instant.now().getEpochSecond();
    return HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}
