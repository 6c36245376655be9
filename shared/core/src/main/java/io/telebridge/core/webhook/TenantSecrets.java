package io.telebridge.core.webhook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The webhook secrets of every tenant: each tenant signs with its own secret (two active during a
 * rotation, {@link SigningSecrets}). A request is authentic for the tenant whose secret signed it, and
 * only for that tenant: the intake refuses an event whose body names another tenant.
 */
public record TenantSecrets(Map<String, SigningSecrets> byTenant) {

  public TenantSecrets {
    Objects.requireNonNull(byTenant, "byTenant");
    if (byTenant.isEmpty()) {
      throw new IllegalArgumentException("no tenant has a webhook secret");
    }
    byTenant = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTenant));
  }

  public static TenantSecrets of(String tenant, SigningSecrets secrets) {
    return new TenantSecrets(Map.of(tenant, secrets));
  }

  /**
   * The outcome of checking a request against every tenant's secrets.
   *
   * @param tenant the tenant whose secret signed the request; null when none did
   * @param failure why no secret verified it; null when one did
   */
  public record Verified(String tenant, WebhookSignature.Failure failure) {}

  /** Which tenant's secret signed the request (every tenant's secrets are tried). */
  public Verified signer(WebhookSignature signature, String timestamp, String signatureHeader, byte[] body) {
    WebhookSignature.Failure failure = WebhookSignature.Failure.MISMATCH;
    String signer = null;
    for (Map.Entry<String, SigningSecrets> e : byTenant.entrySet()) {
      WebhookSignature.Failure f = signature.verify(timestamp, signatureHeader, body, e.getValue());
      if (f == null) {
        if (signer == null) {
          signer = e.getKey();
        }
      } else if (f != WebhookSignature.Failure.MISMATCH) {
        return new Verified(null, f); // the timestamp or the header is wrong whatever the secret
      }
    }
    return signer != null ? new Verified(signer, null) : new Verified(null, failure);
  }

  @Override
  public String toString() {
    return "TenantSecrets[tenants=" + byTenant.keySet() + ", secrets=***]";
  }
}
