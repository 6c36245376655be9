package io.telebridge.core.toplatform;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Delivers one outbound event to the platform: POST the JSON as it is, signed like the platform's
 * own webhooks ({@link WebhookSignature}, a fresh timestamp per attempt), with the event id as
 * {@code Idempotency-Key} so a repeat (after a lost answer, a redelivery, a redrive) is applied once.
 *
 * <table>
 *   <caption>the platform's answer → outcome</caption>
 *   <tr><td>2xx</td><td>{@link DeliveryOutcome.Delivered}</td></tr>
 *   <tr><td>408, 429, 5xx, no answer (connection, timeout)</td><td>{@link DeliveryOutcome.RetryLater}
 *       after Retry-After or backoff ({@link RetryDelays})</td></tr>
 *   <tr><td>any other status (400, 401, 403, 404, 409, 422, …; also 1xx/3xx: redirects are not
 *       followed)</td><td>{@link DeliveryOutcome.DeadLettered}: on the DLQ at once with
 *       {@code status} and {@code reason}, never retried</td></tr>
 * </table>
 *
 * Infrastructure failures on our side (the signing secret, the DLQ) are retried the same way.
 */
public final class DeliverToPlatform {

  public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
  public static final String EVENT_TYPE_HEADER = "X-Telebridge-Event-Type";
  public static final String FAILED_STAGE = "platform-delivery";

  private final PlatformEndpoint endpoint;
  private final Supplier<SigningSecrets> secrets;
  private final DeadLetters deadLetters;
  private final RetryDelays delays;
  private final Clock clock;

  public DeliverToPlatform(PlatformEndpoint endpoint, Supplier<SigningSecrets> secrets, DeadLetters deadLetters,
      RetryDelays delays, Clock clock) {
    this.endpoint = endpoint;
    this.secrets = secrets;
    this.deadLetters = deadLetters;
    this.delays = delays;
    this.clock = clock;
  }

  /** How a status is treated. */
  public enum StatusClass {
    SUCCESS, RETRY, REFUSED;

    public static StatusClass of(int status) {
      if (status >= 200 && status <= 299) {
        return SUCCESS;
      }
      if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
        return RETRY;
      }
      return REFUSED;
    }
  }

  public DeliveryOutcome deliver(PlatformDelivery delivery) {
    if (delivery.eventId() == null || delivery.eventId().isBlank()) {
      return deadLetter(delivery, 0, "the message has no eventId attribute (no idempotency key); not sent");
    }
    SigningSecrets secret;
    try {
      secret = secrets.get();
    } catch (TransientException e) {
      return new DeliveryOutcome.RetryLater(delays.backoff(delivery.receiveCount()), 0, "signing secret unavailable");
    }
    long timestamp = WebhookSignature.timestampNow(clock);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
    headers.put(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret.current(), timestamp, delivery.body()));
    headers.put(IDEMPOTENCY_KEY_HEADER, delivery.eventId());
    if (delivery.eventType() != null && !delivery.eventType().isBlank()) {
      headers.put(EVENT_TYPE_HEADER, delivery.eventType());
    }
    PlatformEndpoint.Response response;
    try {
      response = endpoint.post(headers, delivery.body());
    } catch (TransientException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new DeliveryOutcome.RetryLater(delays.backoff(delivery.receiveCount()), 0,
          "no answer (" + cause.getClass().getSimpleName() + ")");
    }
    int status = response.status();
    return switch (StatusClass.of(status)) {
      case SUCCESS -> new DeliveryOutcome.Delivered(status);
      case RETRY -> new DeliveryOutcome.RetryLater(delays.next(delivery.receiveCount(), response.retryAfter()), status,
          "status " + status + (response.retryAfter().isPresent() ? " with Retry-After" : ""));
      case REFUSED -> deadLetter(delivery, status, status >= 300 && status <= 399
          ? "the platform answered " + status + " (redirects are not followed: check PLATFORM_ENDPOINT_URL)"
          : "the platform refused the event with status " + status + "; not retried");
    };
  }

  private DeliveryOutcome deadLetter(PlatformDelivery delivery, int status, String reason) {
    Map<String, String> attributes = new LinkedHashMap<>();
    put(attributes, "eventId", delivery.eventId());
    put(attributes, "eventType", delivery.eventType());
    put(attributes, "tenant", delivery.tenant());
    if (status > 0) {
      attributes.put("status", Integer.toString(status));
    }
    attributes.put("reason", reason);
    attributes.put("failedStage", FAILED_STAGE);
    attributes.put("sourceMessageId", delivery.messageId());
    try {
      deadLetters.send(delivery, attributes);
    } catch (TransientException e) {
      return new DeliveryOutcome.RetryLater(delays.backoff(delivery.receiveCount()), status,
          "dead-letter queue unavailable");
    }
    return new DeliveryOutcome.DeadLettered(status, reason);
  }

  private static void put(Map<String, String> to, String key, String value) {
    if (value != null && !value.isBlank()) {
      to.put(key, value);
    }
  }
}
