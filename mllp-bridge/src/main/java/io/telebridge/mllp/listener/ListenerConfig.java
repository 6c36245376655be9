package io.telebridge.mllp.listener;

import io.telebridge.mllp.tls.TlsConfig;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The MLLP listener's configuration (part of {@link io.telebridge.mllp.bridge.BridgeConfig}; read
 * from the environment there).
 *
 * @param enabled false: the bridge only sends (no FROM_EHR_QUEUE_URL and no MLLP_LISTEN_PORT set)
 * @param tls server TLS: the key store is the listener's certificate; a trust store turns on mutual TLS
 *     (clients must present a certificate it trusts)
 * @param idleTimeout a connection with no byte for this long is closed (0: never)
 * @param defaultCharset the EHR profile's charset: a message whose MSH-18 is empty is decoded with it
 * @param platformAuthority the EHR profile's platform authority (PID-3), for the reader at the door
 * @param ehrTimeZone the zone of HL7 times sent without an offset, for the reader at the door
 * @param frameTimeout a frame must arrive whole within this long from its first byte, else it is dropped
 *     and the connection closed (slow or hostile senders); zero: no limit
 * @param maxSkippedBytes bytes allowed before a start block; more closes the connection
 */
public record ListenerConfig(
    boolean enabled,
    String host,
    int port,
    String fromEhrQueueUrl,
    String quarantineQueueUrl,
    TlsConfig tls,
    ClientAllowList allowedClients,
    int maxFrameBytes,
    Duration idleTimeout,
    int maxConnections,
    Charset defaultCharset,
    String platformAuthority,
    ZoneId ehrTimeZone,
    Duration frameTimeout,
    long maxSkippedBytes) {

  /** With the default frame timeout and skip limit. */
  public ListenerConfig(boolean enabled, String host, int port, String fromEhrQueueUrl, String quarantineQueueUrl,
      TlsConfig tls, ClientAllowList allowedClients, int maxFrameBytes, Duration idleTimeout, int maxConnections,
      Charset defaultCharset, String platformAuthority, ZoneId ehrTimeZone) {
    this(enabled, host, port, fromEhrQueueUrl, quarantineQueueUrl, tls, allowedClients, maxFrameBytes, idleTimeout,
        maxConnections, defaultCharset, platformAuthority, ehrTimeZone, Duration.ofSeconds(DEFAULT_FRAME_TIMEOUT_SECONDS),
        io.telebridge.mllp.frame.MllpReader.DEFAULT_MAX_SKIPPED_BYTES);
  }

  public static final int DEFAULT_PORT = 2575;
  /**
   * Frames above this are refused: below SQS's default MaximumMessageSize (256 KiB, also
   * ElasticMQ's) with room for the attributes. Raise it together with the queue's MaximumMessageSize
   * (at most 1 MiB) for feeds with large embedded documents.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 256_000;
  /** The largest SQS message (1 MiB) less room for the attributes. */
  public static final int MAX_FRAME_BYTES_LIMIT = 1_040_000;
  /** Below the NLB's 350 s TCP idle timeout, so the bridge closes first and cleanly. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  /** A frame (at most MLLP_MAX_FRAME_BYTES) arrives within this from its first byte on any working link. */
  public static final int DEFAULT_FRAME_TIMEOUT_SECONDS = 30;

  public static ListenerConfig off() {
    return new ListenerConfig(false, "0.0.0.0", DEFAULT_PORT, null, null, TlsConfig.off(), ClientAllowList.any(),
        DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS), DEFAULT_MAX_CONNECTIONS,
        java.nio.charset.StandardCharsets.UTF_8, null, ZoneOffset.UTC);
  }

  /** A copy on another host and port (the local stack, tests: port 0 picks one). */
  public ListenerConfig on(String newHost, int newPort) {
    return new ListenerConfig(enabled, newHost, newPort, fromEhrQueueUrl, quarantineQueueUrl, tls, allowedClients,
        maxFrameBytes, idleTimeout, maxConnections, defaultCharset, platformAuthority, ehrTimeZone, frameTimeout,
        maxSkippedBytes);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "ListenerConfig[off]";
    }
    return "ListenerConfig[" + host + ":" + port + ", fromEhr=" + fromEhrQueueUrl + ", quarantine=" + quarantineQueueUrl
        + ", tls=" + (tls.enabled() ? (tls.truststore() != null ? "mutual" : "server") : "off") + ", allowed=" + allowedClients
        + ", maxFrame=" + maxFrameBytes + ", idle=" + idleTimeout.toSeconds() + "s, frameTimeout=" + frameTimeout.toSeconds()
        + "s, maxSkipped=" + maxSkippedBytes + ", maxConnections=" + maxConnections + "]";
  }
}
