package io.telebridge.mllp.bridge;

import io.telebridge.mllp.tls.TlsConfig;
import io.telebridge.aws.AwsSettings;
import io.telebridge.core.config.EnvironmentReader;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.listener.ListenerConfig;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The bridge's configuration, read once from the environment at start and validated there (every
 * problem is reported at once). Nothing else reads the environment.
 *
 * <pre>
 *   ENVIRONMENT                 dev / test / prod (deployed) or local (the local stack and tests: plain MLLP and any
 *                               client allowed by default). Unset counts as deployed.
 *   SENDER_ENABLED              false: no sender in this task (a listener-only task; default true)
 *   TO_EHR_QUEUE_URL            the to-EHR FIFO queue (required with the sender)
 *   TO_EHR_DLQ_URL              its FIFO dead-letter queue, where NACKed messages go with their codes (required with the sender)
 *   EHR_HOST, EHR_PORT          the EHR's MLLP listener (required with the sender)
 *   EHR_TLS                     true: TLS to the EHR (default false)
 *   EHR_TLS_MATERIAL            JSON (a Secrets Manager secret, whole): {"truststore": base64 PKCS12, "truststorePassword",
 *                               "keystore": base64 PKCS12, "keystorePassword"}, every field optional: no keystore = one-way
 *                               TLS, no truststore = the JVM's trust store. Instead of the four variables below.
 *   EHR_KEYSTORE                PKCS12 file with the bridge's client certificate and key: mutual TLS (optional)
 *   EHR_KEYSTORE_BASE64         ... or the same PKCS12 inline, base64 (ECS Secrets from Secrets Manager)
 *   EHR_KEYSTORE_PASSWORD
 *   EHR_TRUSTSTORE              PKCS12 file with the CA / certificate the EHR presents (default: the JVM's trust store)
 *   EHR_TRUSTSTORE_BASE64       ... or inline, base64
 *   EHR_TRUSTSTORE_PASSWORD
 *   EHR_TLS_VERIFY_HOSTNAME     check the EHR certificate's name against EHR_HOST (default true)
 *   CONNECT_TIMEOUT_MS          TCP connect and TLS handshake (default 5000)
 *   ACK_TIMEOUT_MS              from the message's last byte to the ACK's (default 10000)
 *   MAX_FRAME_BYTES             largest frame sent or read (default: the EHR profile's maxMessageBytes, 1048576 when
 *                               the profile does not say); a larger message goes to the DLQ (unsendable-frame-too-large)
 *   PAYLOAD_BUCKET              the claim-check bucket: a to-EHR message that is a claim check (a long note's MDM) is
 *                               fetched from it and verified (size, SHA-256) before it is sent; unset: such a message
 *                               goes to the DLQ (unsendable-claim-check)
 *   SENT_LEDGER_TABLE           the DynamoDB table of the sent ledger (the idempotency table; read by DynamoDbSentLedger):
 *                               a tenant|MSH-10 the EHR accepted is not sent again unless replayed; unset: no ledger
 *   EHR_PROFILE                 the EHR profile (name or file, as the translators read it): its characterSet is the
 *                               charset of messages whose MSH-18 is empty, both ways; its platform authority
 *                               (default generic-epic-like)
 *   EHR_TIME_ZONE               zone of HL7 times the EHR sends without an offset, as the from-EHR translator (default UTC)
 *   MAX_NACK_RETRIES            resends after an AE/AR/CE/CR before the DLQ (default 3)
 *   NACK_RETRY_DELAY_SECONDS    first resend delay, doubled each time, at most 300 (default 10)
 *   RECONNECT_MIN_MS            reconnect backoff base, exponential with full jitter (default 500)
 *   RECONNECT_MAX_MS            reconnect backoff cap (default 30000)
 *   POLL_WAIT_SECONDS           SQS long-poll wait (default 20)
 *   BATCH_SIZE                  messages per receive, 1..10 (default 10)
 *   VISIBILITY_TIMEOUT_SECONDS  how long a received batch is ours (default 60)
 *   HEALTH_HOST, HEALTH_PORT    the health endpoint (default 0.0.0.0:8080; port 0 picks one)
 *   DRAIN_TIMEOUT_SECONDS       SIGTERM: time to finish the message in flight (default 25, below ECS's 30 s stopTimeout)
 *   IDLE_PROBE_MS               before sending on a connection idle this long, check the peer has not closed it (default 5000)
 *
 *   The MLLP listener (return path: the EHR sends here; see {@link io.telebridge.mllp.listener.MllpListener}):
 *   FROM_EHR_QUEUE_URL          the from-EHR FIFO queue; setting it turns the listener on
 *   QUARANTINE_QUEUE_URL        the quarantine queue for refused frames (required with the listener)
 *   MLLP_LISTEN_PORT            the listener's port (default 2575; "off": no listener; 0 picks one)
 *   MLLP_LISTEN_HOST            the address it binds (default 0.0.0.0)
 *   MLLP_TLS                    true: TLS (needs a key store); default true when deployed, false when ENVIRONMENT=local
 *   MLLP_TLS_MATERIAL           JSON: {"keystore", "keystorePassword", "truststore" (set = mutual TLS), "truststorePassword"}
 *   MLLP_KEYSTORE[_BASE64], MLLP_KEYSTORE_PASSWORD      PKCS12: the listener's certificate and key
 *   MLLP_TRUSTSTORE[_BASE64], MLLP_TRUSTSTORE_PASSWORD  PKCS12: CAs of client certificates; set = mutual TLS
 *   MLLP_ALLOWED_CLIENTS        comma-separated IP addresses / CIDR blocks allowed to connect; required (not empty,
 *                               not /0) when deployed; empty = any client only with ENVIRONMENT=local
 *   MLLP_FRAME_TIMEOUT_SECONDS  a frame (and the TLS handshake) must arrive whole within this from its first byte, else
 *                               it is dropped and the connection closed (default 30; 0: no limit)
 *   MLLP_MAX_SKIPPED_BYTES      bytes allowed before a start block; more closes the connection (default 4096)
 *   MLLP_MAX_FRAME_BYTES        larger frames get AR and are quarantined truncated (default 256000)
 *   MLLP_IDLE_TIMEOUT_SECONDS   close a connection silent this long (default 300, below the NLB's 350; 0: never)
 *   MLLP_MAX_CONNECTIONS        connections at once; more are refused (default 64)
 *
 *   AWS_REGION, AWS_ENDPOINT_URL_SQS, AWS_ACCESS_KEY_ID...  as for every telebridge component ({@link AwsSettings})
 * </pre>
 */
public record BridgeConfig(
    String queueUrl,
    String deadLetterQueueUrl,
    String ehrHost,
    int ehrPort,
    TlsConfig tls,
    Duration connectTimeout,
    Duration ackTimeout,
    int maxFrameBytes,
    Charset defaultCharset,
    int maxNackRetries,
    Duration nackRetryDelay,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration pollWait,
    int batchSize,
    Duration visibilityTimeout,
    String healthHost,
    int healthPort,
    Duration drainTimeout,
    Duration idleProbeAfter,
    AwsSettings aws,
    ListenerConfig listener,
    boolean senderEnabled,
    String payloadBucket) {

  public static final Duration MAX_NACK_RETRY_DELAY = Duration.ofSeconds(300);

  /** The value of ENVIRONMENT that marks a process that is not deployed (the local stack, tests). */
  public static final String LOCAL_ENVIRONMENT = "local";

  public static BridgeConfig fromEnvironment(Map<String, String> env) {
    EnvironmentReader r = new EnvironmentReader("mllp-bridge", env);
    TlsStoresEnv stores = new TlsStoresEnv(env, r);
    boolean sender = r.bool("SENDER_ENABLED", true);
    String queue = sender ? r.required("TO_EHR_QUEUE_URL") : null;
    String dlq = sender ? r.required("TO_EHR_DLQ_URL") : null;
    String host = sender ? r.required("EHR_HOST") : null;
    int port = r.integer("EHR_PORT", -1, 1, 65535);
    if (sender && (env.get("EHR_PORT") == null || env.get("EHR_PORT").isBlank())) {
      r.problem("missing EHR_PORT");
    }
    boolean tlsOn = r.bool("EHR_TLS", false);
    TlsStoresEnv.Stores ehr = stores.stores("EHR");
    if (!tlsOn && (ehr.keystore() != null || ehr.truststore() != null)) {
      r.problem("a key store / trust store is set but EHR_TLS is not true");
    }
    if (ehr.keystore() != null && ehr.keystorePassword() == null) {
      r.problem("EHR_KEYSTORE_PASSWORD (or keystorePassword in EHR_TLS_MATERIAL) is required with a key store");
    }
    TlsConfig tls = new TlsConfig(tlsOn, ehr.keystore(), ehr.keystorePassword(), ehr.keystoreSource(), ehr.truststore(),
        ehr.truststorePassword(), ehr.truststoreSource(), r.bool("EHR_TLS_VERIFY_HOSTNAME", true));
    int ackMs = r.integer("ACK_TIMEOUT_MS", 10_000, 100, 600_000);
    int visibility = r.integer("VISIBILITY_TIMEOUT_SECONDS", 60, 1, 43_200);
    if (visibility * 1000L < ackMs + 5_000L) {
      r.problem("VISIBILITY_TIMEOUT_SECONDS must be at least ACK_TIMEOUT_MS + 5 s");
    }
    int drain = r.integer("DRAIN_TIMEOUT_SECONDS", 25, 1, 3600);
    if (drain * 1000L < ackMs + 1_000L) {
      r.problem("DRAIN_TIMEOUT_SECONDS must leave time for one ACK (at least ACK_TIMEOUT_MS + 1 s)");
    }
    int reconnectMin = r.integer("RECONNECT_MIN_MS", 500, 1, 3_600_000);
    int reconnectMax = r.integer("RECONNECT_MAX_MS", 30_000, 1, 3_600_000);
    if (reconnectMax < reconnectMin) {
      r.problem("RECONNECT_MAX_MS must not be below RECONNECT_MIN_MS");
    }
    if (env.get("MLLP_CHARSET") != null && !env.get("MLLP_CHARSET").isBlank()) {
      r.problem("MLLP_CHARSET is no longer read: the EHR profile's characterSet (EHR_PROFILE) is the charset when MSH-18 is empty");
    }
    EhrProfile profile = null;
    Charset charset = StandardCharsets.UTF_8;
    try {
      profile = EhrProfile.fromSetting(env.get("EHR_PROFILE"));
      charset = profile.charset();
    } catch (RuntimeException e) {
      r.problem("EHR_PROFILE: " + e.getMessage());
    }
    ZoneId ehrZone = ZoneOffset.UTC;
    try {
      ehrZone = ZoneId.of(env.getOrDefault("EHR_TIME_ZONE", "").isBlank() ? "UTC" : env.get("EHR_TIME_ZONE").trim());
    } catch (java.time.DateTimeException e) {
      r.problem("EHR_TIME_ZONE is not a time zone id");
    }
    BridgeConfig config = new BridgeConfig(queue, dlq, host, port, tls,
        Duration.ofMillis(r.integer("CONNECT_TIMEOUT_MS", 5_000, 1, 600_000)),
        Duration.ofMillis(ackMs),
        r.integer("MAX_FRAME_BYTES", profile == null ? MllpFrames.DEFAULT_MAX_FRAME_BYTES : profile.maxMessageBytes(),
            1024, 64 << 20),
        charset,
        r.integer("MAX_NACK_RETRIES", 3, 0, 100),
        Duration.ofSeconds(r.integer("NACK_RETRY_DELAY_SECONDS", 10, 0, (int) MAX_NACK_RETRY_DELAY.toSeconds())),
        Duration.ofMillis(reconnectMin),
        Duration.ofMillis(reconnectMax),
        Duration.ofSeconds(r.integer("POLL_WAIT_SECONDS", 20, 0, 20)),
        r.integer("BATCH_SIZE", 10, 1, 10),
        Duration.ofSeconds(visibility),
        env.getOrDefault("HEALTH_HOST", "0.0.0.0").isBlank() ? "0.0.0.0" : env.getOrDefault("HEALTH_HOST", "0.0.0.0").trim(),
        r.integer("HEALTH_PORT", 8080, 0, 65535),
        Duration.ofSeconds(drain),
        Duration.ofMillis(r.integer("IDLE_PROBE_MS", 5_000, 0, 3_600_000)),
        AwsSettings.fromEnvironment(env),
        ListenerEnv.read(env, r, stores, charset, profile == null ? null : profile.authorities().platform().namespaceId(), ehrZone),
        sender,
        env.getOrDefault("PAYLOAD_BUCKET", "").isBlank() ? null : env.get("PAYLOAD_BUCKET").trim());
    if (!sender && !config.listener().enabled()) {
      r.problem("SENDER_ENABLED is false and the listener is off (FROM_EHR_QUEUE_URL): nothing to run");
    }
    r.check();
    return config;
  }

  /** A copy pointing at another EHR endpoint (the local stack, tests). */
  public BridgeConfig withEhr(String host, int port, TlsConfig tlsConfig) {
    return new BridgeConfig(queueUrl, deadLetterQueueUrl, host, port, tlsConfig, connectTimeout, ackTimeout,
        maxFrameBytes, defaultCharset, maxNackRetries, nackRetryDelay, reconnectMin, reconnectMax, pollWait, batchSize,
        visibilityTimeout, healthHost, healthPort, drainTimeout, idleProbeAfter, aws, listener, senderEnabled, payloadBucket);
  }

  /** A copy with another listener configuration. */
  public BridgeConfig withListener(ListenerConfig listenerConfig) {
    return new BridgeConfig(queueUrl, deadLetterQueueUrl, ehrHost, ehrPort, tls, connectTimeout, ackTimeout,
        maxFrameBytes, defaultCharset, maxNackRetries, nackRetryDelay, reconnectMin, reconnectMax, pollWait, batchSize,
        visibilityTimeout, healthHost, healthPort, drainTimeout, idleProbeAfter, aws, listenerConfig, senderEnabled,
        payloadBucket);
  }

  @Override
  public String toString() {
    if (!senderEnabled) {
      return "BridgeConfig[sender off, health=" + healthHost + ":" + healthPort + ", drain=" + drainTimeout + ", " + listener + "]";
    }
    return "BridgeConfig[queue=" + queueUrl + ", dlq=" + deadLetterQueueUrl + ", ehr=" + ehrHost + ":" + ehrPort
        + ", " + tls + ", ackTimeout=" + ackTimeout + ", maxNackRetries=" + maxNackRetries + ", batch=" + batchSize
        + ", pollWait=" + pollWait + ", health=" + healthHost + ":" + healthPort + ", drain=" + drainTimeout + ", " + listener
        + "]";
  }
}
