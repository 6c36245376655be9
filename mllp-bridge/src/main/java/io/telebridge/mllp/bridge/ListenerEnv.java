package io.telebridge.mllp.bridge;

import io.telebridge.core.config.EnvironmentReader;
import io.telebridge.mllp.frame.MllpReader;
import io.telebridge.mllp.listener.ClientAllowList;
import io.telebridge.mllp.listener.ListenerConfig;
import io.telebridge.mllp.tls.TlsConfig;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * The MLLP listener's part of the bridge's environment (the MLLP_* and FROM_EHR_QUEUE_URL variables listed in
 * {@link BridgeConfig}): a deployed listener is TLS with an allow-list unless told otherwise.
 */
final class ListenerEnv {

  private ListenerEnv() {}

  /** The listener's part: on when FROM_EHR_QUEUE_URL is set or MLLP_LISTEN_PORT names a port; "off" turns it off. */
  static ListenerConfig read(Map<String, String> env, EnvironmentReader r, TlsStoresEnv tlsStores, Charset charset, String platformAuthority,
      ZoneId ehrZone) {
    String portValue = env.getOrDefault("MLLP_LISTEN_PORT", "").trim();
    String fromEhr = env.getOrDefault("FROM_EHR_QUEUE_URL", "").trim();
    boolean enabled = !portValue.equalsIgnoreCase("off") && (!fromEhr.isEmpty() || !portValue.isEmpty());
    if (!enabled) {
      return ListenerConfig.off();
    }
    int port = r.integer("MLLP_LISTEN_PORT", ListenerConfig.DEFAULT_PORT, 0, 65535);
    String from = r.required("FROM_EHR_QUEUE_URL");
    String quarantine = r.required("QUARANTINE_QUEUE_URL");
    String host = env.getOrDefault("MLLP_LISTEN_HOST", "").isBlank() ? "0.0.0.0" : env.get("MLLP_LISTEN_HOST").trim();
    // a deployed listener is TLS and allow-list by default; only ENVIRONMENT=local is plain and open by default
    String environment = env.getOrDefault("ENVIRONMENT", "").trim();
    boolean deployed = !environment.equalsIgnoreCase(BridgeConfig.LOCAL_ENVIRONMENT);
    String where = environment.isEmpty() ? "ENVIRONMENT is not set" : "ENVIRONMENT=" + environment;
    boolean tlsOn = r.bool("MLLP_TLS", deployed);
    TlsStoresEnv.Stores stores = tlsStores.stores("MLLP");
    if (tlsOn && stores.keystore() == null) {
      r.problem("MLLP_TLS is " + (env.getOrDefault("MLLP_TLS", "").isBlank() ? "on by default (" + where + ")" : "true")
          + " but no certificate is given: set MLLP_TLS_MATERIAL (template parameter MllpTlsSecretArn) or MLLP_KEYSTORE[_BASE64]"
          + " with MLLP_KEYSTORE_PASSWORD; plain MLLP only with MLLP_TLS=false (parameter MllpPlaintext=true)");
    }
    if (!tlsOn && (stores.keystore() != null || stores.truststore() != null)) {
      r.problem("an MLLP key store / trust store is set but MLLP_TLS is not true");
    }
    if (stores.keystore() != null && stores.keystorePassword() == null) {
      r.problem("MLLP_KEYSTORE_PASSWORD (or keystorePassword in MLLP_TLS_MATERIAL) is required with a key store");
    }
    TlsConfig tls = new TlsConfig(tlsOn, stores.keystore(), stores.keystorePassword(), stores.keystoreSource(),
        stores.truststore(), stores.truststorePassword(), stores.truststoreSource(), false);
    ClientAllowList allowed = ClientAllowList.any();
    try {
      allowed = ClientAllowList.parse(env.get("MLLP_ALLOWED_CLIENTS"));
      if (deployed && (allowed.allowsAll() || allowed.hasCatchAll())) {
        r.problem("MLLP_ALLOWED_CLIENTS " + (allowed.allowsAll() ? "is empty" : "allows every address")
            + ": a deployed listener (" + where + ") accepts only the EHR's addresses - list them (template parameter "
            + "MllpAllowedClients); any client is allowed only with ENVIRONMENT=local");
      }
    } catch (IllegalArgumentException e) {
      r.problem("MLLP_ALLOWED_CLIENTS: " + e.getMessage());
    }
    return new ListenerConfig(true, host, port, from, quarantine, tls, allowed,
        r.integer("MLLP_MAX_FRAME_BYTES", ListenerConfig.DEFAULT_MAX_FRAME_BYTES, 1024, ListenerConfig.MAX_FRAME_BYTES_LIMIT),
        Duration.ofSeconds(r.integer("MLLP_IDLE_TIMEOUT_SECONDS", ListenerConfig.DEFAULT_IDLE_TIMEOUT_SECONDS, 0, 86_400)),
        r.integer("MLLP_MAX_CONNECTIONS", ListenerConfig.DEFAULT_MAX_CONNECTIONS, 1, 10_000),
        charset, platformAuthority, ehrZone,
        Duration.ofSeconds(r.integer("MLLP_FRAME_TIMEOUT_SECONDS", ListenerConfig.DEFAULT_FRAME_TIMEOUT_SECONDS, 0, 3600)),
        r.integer("MLLP_MAX_SKIPPED_BYTES", (int) MllpReader.DEFAULT_MAX_SKIPPED_BYTES, 0, 1 << 24));
  }
}
