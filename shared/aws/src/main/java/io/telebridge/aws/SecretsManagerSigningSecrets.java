package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.webhook.SigningSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook signing secrets from Secrets Manager, cached and refreshed every few minutes so a
 * rotation takes effect without a deploy. The secret string is JSON
 * {@code {"current": "...", "previous": "..."}} ({@code previous} optional), or a plain string
 * (then it is the current secret). When a refresh fails the last good value is kept.
 */
public final class SecretsManagerSigningSecrets implements Supplier<SigningSecrets> {

  private static final System.Logger LOG = System.getLogger(SecretsManagerSigningSecrets.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SecretsManagerClient client;
  private final String secretId;
  private final Clock clock;
  private final Duration refreshEvery;
  private volatile SigningSecrets cached;
  private volatile Instant fetchedAt = Instant.MIN;

  public SecretsManagerSigningSecrets(SecretsManagerClient client, String secretId, Clock clock, Duration refreshEvery) {
    this.client = client;
    this.secretId = secretId;
    this.clock = clock;
    this.refreshEvery = refreshEvery;
  }

  @Override
  public SigningSecrets get() {
    Instant now = clock.instant();
    SigningSecrets current = cached;
    if (current != null && now.isBefore(fetchedAt.plus(refreshEvery))) {
      return current;
    }
    synchronized (this) {
      if (cached != null && now.isBefore(fetchedAt.plus(refreshEvery))) {
        return cached;
      }
      try {
        String raw = client.getSecretValue(GetSecretValueRequest.builder().secretId(secretId).build()).secretString();
        cached = parse(raw);
        fetchedAt = now;
      } catch (SdkException | IllegalArgumentException e) {
        if (cached == null) {
          throw new TransientException("webhook secret unavailable (" + e.getClass().getSimpleName() + ")", e);
        }
        LOG.log(System.Logger.Level.WARNING, "webhook secret refresh failed ({0}); keeping the cached value",
            e.getClass().getSimpleName());
        fetchedAt = now;
      }
      return cached;
    }
  }

  static SigningSecrets parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("the webhook secret is empty");
    }
    String trimmed = raw.trim();
    if (!trimmed.startsWith("{")) {
      return SigningSecrets.of(trimmed);
    }
    try {
      JsonNode node = JSON.readTree(trimmed);
      JsonNode current = node.get("current");
      JsonNode previous = node.get("previous");
      if (current == null || !current.isString()) {
        throw new IllegalArgumentException("the webhook secret JSON has no \"current\" string");
      }
      return new SigningSecrets(current.asString(), previous != null && previous.isString() ? previous.asString() : null);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the webhook secret is neither a string nor JSON {\"current\": ...}");
    }
  }
}
