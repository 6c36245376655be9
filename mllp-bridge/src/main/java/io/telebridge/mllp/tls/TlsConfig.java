package io.telebridge.mllp.tls;

/**
 * TLS towards the EHR. A key store (PKCS12: the bridge's certificate and key) turns on mutual TLS;
 * a trust store (PKCS12: the CA or certificate the EHR presents) replaces the JVM's default trust.
 * Each store comes from a file ({@code EHR_KEYSTORE}) or inline as base64 ({@code EHR_KEYSTORE_BASE64},
 * what the ECS task definition's Secrets inject from Secrets Manager); the configuration reads it
 * once at start. Passwords and store bytes are redacted from {@link #toString()}.
 *
 * @param keystore PKCS12 bytes, or null
 * @param keystoreSource where they came from (a path or the variable name), for messages
 */
public record TlsConfig(
    boolean enabled,
    byte[] keystore,
    char[] keystorePassword,
    String keystoreSource,
    byte[] truststore,
    char[] truststorePassword,
    String truststoreSource,
    boolean verifyHostname) {

  public static TlsConfig off() {
    return new TlsConfig(false, null, null, null, null, null, null, true);
  }

  public boolean mutual() {
    return enabled && keystore != null;
  }

  @Override
  public String toString() {
    return "TlsConfig[enabled=" + enabled + ", keystore=" + keystoreSource + ", truststore="
        + (truststore == null ? "JVM default" : truststoreSource) + ", verifyHostname=" + verifyHostname
        + ", passwords=***]";
  }
}
