package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.TenantSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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
 * (then it is the current secret); the intake's webhook secrets are one per tenant ({@link #perTenant}).
 * When a refresh fails the last good value is kept.
 */
public final class SecretsManagerSigningSecrets implements Supplier<SigningSecrets> {

  private static final System.Logger LOG = System.getLogger(SecretsManagerSigningSecrets.class.getName());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Cached<SigningSecrets> cached;

  public SecretsManagerSigningSecrets(SecretsManagerClient client, String secretId, Clock clock, Duration refreshEvery) {
    this.cached = new Cached<>(client, secretId, clock, refreshEvery, SecretsManagerSigningSecrets::parse);
  }

  /**
   * Every tenant's webhook secrets from one secret, JSON
   * {@code {"tenants": {"<tenant>": {"current": "...", "previous": "..."}, ...}}}, cached and refreshed
   * like the single secret.
   */
  public static Supplier<TenantSecrets> perTenant(SecretsManagerClient client, String secretId, Clock clock,
      Duration refreshEvery) {
    return new Cached<>(client, secretId, clock, refreshEvery, SecretsManagerSigningSecrets::parseTenants)::get;
  }

  @Override
  public SigningSecrets get() {
    return cached.get();
  }

  /** One secret's parsed value, fetched again after {@code refreshEvery}; the last good value outlives a failed refresh. */
  private static final class Cached<T> {
    private final SecretsManagerClient client;
    private final String secretId;
    private final Clock clock;
    private final Duration refreshEvery;
    private final Function<String, T> parser;
    private volatile T value;
    private volatile Instant fetchedAt = Instant.MIN;

    Cached(SecretsManagerClient client, String secretId, Clock clock, Duration refreshEvery, Function<String, T> parser) {
      this.client = client;
      this.secretId = secretId;
      this.clock = clock;
      this.refreshEvery = refreshEvery;
      this.parser = parser;
    }

    T get() {
      Instant now = clock.instant();
      T current = value;
      if (current != null && now.isBefore(fetchedAt.plus(refreshEvery))) {
        return current;
      }
      synchronized (this) {
        if (value != null && now.isBefore(fetchedAt.plus(refreshEvery))) {
          return value;
        }
        try {
          String raw = client.getSecretValue(GetSecretValueRequest.builder().secretId(secretId).build()).secretString();
          value = parser.apply(raw);
          fetchedAt = now;
        } catch (SdkException | IllegalArgumentException e) {
          if (value == null) {
            throw new TransientException("webhook secret unavailable (" + e.getClass().getSimpleName() + ")", e);
          }
          LOG.log(System.Logger.Level.WARNING, "webhook secret refresh failed ({0}); keeping the cached value",
              e.getClass().getSimpleName());
          fetchedAt = now;
        }
        return value;
      }
    }
  }

  /**
   * {@code {"tenants": {"<tenant>": {"current": ..., "previous": ...}}}}; a secret without tenants is
   * refused (it would let any tenant's events through with one secret).
   */
  static TenantSecrets parseTenants(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("the webhook secret is empty");
    }
    JsonNode node;
    try {
      node = JSON.readTree(raw.trim());
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the webhook secret is not JSON {\"tenants\": {...}}");
    }
    JsonNode tenants = node == null ? null : node.get("tenants");
    if (tenants == null || !tenants.isObject() || tenants.isEmpty()) {
      throw new IllegalArgumentException("the webhook secret has no \"tenants\" object (one {\"current\", \"previous\"} per tenant)");
    }
    Map<String, SigningSecrets> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : tenants.properties()) {
      out.put(e.getKey(), secrets(e.getValue(), "tenants." + e.getKey()));
    }
    return new TenantSecrets(out);
  }

  private static SigningSecrets secrets(JsonNode node, String where) {
    JsonNode current = node == null ? null : node.get("current");
    JsonNode previous = node == null ? null : node.get("previous");
    if (current == null || !current.isString() || current.asString().isBlank()) {
      throw new IllegalArgumentException("the webhook secret JSON has no \"current\" string at " + where);
    }
    return new SigningSecrets(current.asString(), previous != null && previous.isString() ? previous.asString() : null);
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
