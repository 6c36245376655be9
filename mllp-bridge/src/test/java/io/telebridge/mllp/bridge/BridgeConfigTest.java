package io.telebridge.mllp.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("TO_EHR_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123/to-ehr.fifo");
    env.put("TO_EHR_DLQ_URL", "https://sqs.us-east-1.amazonaws.com/123/to-ehr-dlq.fifo");
    env.put("EHR_HOST", "ehr.example.internal");
    env.put("EHR_PORT", "6661");
    return env;
  }

  @Test
  void appliesDefaultsThatFitEcsAndSqs() {
    BridgeConfig c = BridgeConfig.fromEnvironment(minimal());
    assertEquals("ehr.example.internal", c.ehrHost());
    assertEquals(6661, c.ehrPort());
    assertFalse(c.tls().enabled());
    assertEquals(Duration.ofSeconds(20), c.pollWait());
    assertEquals(10, c.batchSize());
    assertEquals(Duration.ofSeconds(10), c.ackTimeout());
    assertEquals(3, c.maxNackRetries());
    assertEquals(4 << 20, c.maxFrameBytes(), "the EHR profile's maxMessageBytes (generic-epic-like: 4 MiB)");
    assertEquals(StandardCharsets.UTF_8, c.defaultCharset());
    assertEquals(8080, c.healthPort());
    assertTrue(c.drainTimeout().toSeconds() < 30, "drain below the ECS default stopTimeout");
  }

  @Test
  void reportsEveryMissingOrInvalidVariableAtOnce() {
    Map<String, String> env = new HashMap<>();
    env.put("EHR_PORT", "99999");
    env.put("ACK_TIMEOUT_MS", "soon");
    env.put("EHR_TLS", "maybe");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    for (String name : new String[] {"TO_EHR_QUEUE_URL", "TO_EHR_DLQ_URL", "EHR_HOST", "EHR_PORT", "ACK_TIMEOUT_MS", "EHR_TLS"}) {
      assertTrue(e.getMessage().contains(name), name + " in: " + e.getMessage());
    }
  }

  @Test
  void refusesAVisibilityTimeoutShorterThanAnAckWait() {
    Map<String, String> env = minimal();
    env.put("ACK_TIMEOUT_MS", "30000");
    env.put("VISIBILITY_TIMEOUT_SECONDS", "30");
    assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
  }

  @Test
  void refusesADrainTimeoutThatCannotFinishTheMessageInFlight() {
    Map<String, String> env = minimal();
    env.put("ACK_TIMEOUT_MS", "30000");
    env.put("VISIBILITY_TIMEOUT_SECONDS", "60");
    env.put("DRAIN_TIMEOUT_SECONDS", "25");
    assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
  }

  @Test
  void refusesTlsMaterialWithoutTls() {
    Map<String, String> env = minimal();
    env.put("EHR_TRUSTSTORE", "/etc/hosts");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    assertTrue(e.getMessage().contains("EHR_TLS"));
  }

  @Test
  void neverPrintsPasswords() {
    Map<String, String> env = minimal();
    env.put("EHR_TLS", "true");
    env.put("EHR_TRUSTSTORE", "/etc/hosts");
    env.put("EHR_TRUSTSTORE_PASSWORD", "s3cret-value");
    BridgeConfig c = BridgeConfig.fromEnvironment(env);
    assertTrue(c.tls().enabled());
    assertFalse(c.toString().contains("s3cret-value"));
  }

  @Test
  void theCharsetWhenMsh18IsEmptyIsTheEhrProfilesAndTheOldSettingIsRefusedLoudly() {
    Map<String, String> env = minimal();
    env.put("MLLP_CHARSET", "ISO-8859-1");
    var e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    assertTrue(e.getMessage().contains("EHR_PROFILE"), e.getMessage());
    Map<String, String> unknown = minimal();
    unknown.put("EHR_PROFILE", "no-such-profile");
    assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(unknown));
  }

  @Test
  void readsTheEhrProfileAndTimeZoneForTheListenersReader() {
    Map<String, String> env = minimal();
    env.put("FROM_EHR_QUEUE_URL", "http://q/from.fifo");
    env.put("QUARANTINE_QUEUE_URL", "http://q/quarantine");
    env.put("EHR_TIME_ZONE", "America/Chicago");
    env.put("ENVIRONMENT", "local"); // plain and open: this test is about the reader's settings
    BridgeConfig c = BridgeConfig.fromEnvironment(env);
    assertEquals("TELEHEALTH", c.listener().platformAuthority());
    assertEquals(java.time.ZoneId.of("America/Chicago"), c.listener().ehrTimeZone());
    assertEquals(StandardCharsets.UTF_8, c.listener().defaultCharset());
  }

  @Test
  void takesTlsStoresInlineAsBase64AsTheTaskDefinitionInjectsThem() {
    Map<String, String> env = minimal();
    env.put("EHR_TLS", "true");
    env.put("EHR_TRUSTSTORE_BASE64", java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
    env.put("EHR_KEYSTORE_BASE64", java.util.Base64.getEncoder().encodeToString(new byte[] {4, 5}));
    env.put("EHR_KEYSTORE_PASSWORD", "pw");
    BridgeConfig c = BridgeConfig.fromEnvironment(env);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3}, c.tls().truststore());
    assertTrue(c.tls().mutual());
    assertTrue(c.toString().contains("EHR_TRUSTSTORE_BASE64"));
    env.put("EHR_TRUSTSTORE", "/etc/hosts");
    assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env), "file and inline: one only");
    env.remove("EHR_TRUSTSTORE");
    env.put("EHR_KEYSTORE_BASE64", "not base64 !!");
    assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
  }

  @Test
  void theListenerIsOffUntilTheFromEhrQueueIsConfigured() {
    assertFalse(BridgeConfig.fromEnvironment(minimal()).listener().enabled());
    Map<String, String> env = minimal();
    env.put("ENVIRONMENT", "local"); // plain and permissive only here
    env.put("FROM_EHR_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123/from-ehr.fifo");
    env.put("QUARANTINE_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123/quarantine");
    var l = BridgeConfig.fromEnvironment(env).listener();
    assertTrue(l.enabled());
    assertEquals(2575, l.port());
    assertEquals("0.0.0.0", l.host());
    assertEquals(256_000, l.maxFrameBytes());
    assertEquals(Duration.ofSeconds(300), l.idleTimeout());
    assertTrue(l.allowedClients().allowsAll());
    assertFalse(l.tls().enabled());
    env.put("MLLP_LISTEN_PORT", "off");
    assertFalse(BridgeConfig.fromEnvironment(env).listener().enabled());
  }

  @Test
  void reportsListenerProblemsWithTheOthers() {
    Map<String, String> env = minimal();
    env.put("MLLP_LISTEN_PORT", "2575");
    env.put("MLLP_TLS", "true");
    env.put("MLLP_ALLOWED_CLIENTS", "10.0.0.0/8, ehr.example.org");
    env.put("MLLP_MAX_FRAME_BYTES", "5000000");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    for (String name : new String[] {"FROM_EHR_QUEUE_URL", "QUARANTINE_QUEUE_URL", "MLLP_KEYSTORE", "MLLP_ALLOWED_CLIENTS",
        "MLLP_MAX_FRAME_BYTES"}) {
      assertTrue(e.getMessage().contains(name), name + " in: " + e.getMessage());
    }
  }

  private static Map<String, String> deployedListener() {
    Map<String, String> env = minimal();
    env.put("ENVIRONMENT", "prod");
    env.put("FROM_EHR_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123/from-ehr.fifo");
    env.put("QUARANTINE_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123/quarantine");
    return env;
  }

  @Test
  void aDeployedListenerRefusesToStartWithoutAnAllowListAndSaysWhy() {
    Map<String, String> env = deployedListener();
    env.put("MLLP_TLS", "false");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    assertTrue(e.getMessage().contains("MLLP_ALLOWED_CLIENTS is empty"), e.getMessage());
    assertTrue(e.getMessage().contains("MllpAllowedClients"), "names the template parameter: " + e.getMessage());
    env.put("MLLP_ALLOWED_CLIENTS", "0.0.0.0/0");
    e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    assertTrue(e.getMessage().contains("allows every address"), e.getMessage());
    env.remove("ENVIRONMENT"); // unset counts as deployed
    env.remove("MLLP_ALLOWED_CLIENTS");
    assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    env.put("MLLP_ALLOWED_CLIENTS", "10.20.30.0/28");
    assertFalse(BridgeConfig.fromEnvironment(env).listener().allowedClients().allowsAll());
  }

  @Test
  void aDeployedListenerIsTlsByDefaultAndNeedsItsCertificateUnlessPlainIsAskedForExplicitly() {
    Map<String, String> env = deployedListener();
    env.put("MLLP_ALLOWED_CLIENTS", "10.20.30.40");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    assertTrue(e.getMessage().contains("MLLP_TLS is on by default"), e.getMessage());
    env.put("MLLP_TLS_MATERIAL", "{\"keystore\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[] {7, 8})
        + "\",\"keystorePassword\":\"pw-not-printed\"}");
    BridgeConfig c = BridgeConfig.fromEnvironment(env);
    assertTrue(c.listener().tls().enabled());
    assertEquals(null, c.listener().tls().truststore(), "no truststore in the secret: no client certificates asked");
    assertFalse(c.toString().contains("pw-not-printed"));
    env.remove("MLLP_TLS_MATERIAL");
    env.put("MLLP_TLS", "false"); // plain MLLP: only when said explicitly (behind a site-to-site VPN)
    assertFalse(BridgeConfig.fromEnvironment(env).listener().tls().enabled());
  }

  @Test
  void theLocalEnvironmentIsPlainAndPermissiveByDefault() {
    Map<String, String> env = deployedListener();
    env.put("ENVIRONMENT", "local");
    var l = BridgeConfig.fromEnvironment(env).listener();
    assertFalse(l.tls().enabled());
    assertTrue(l.allowedClients().allowsAll());
    assertEquals(Duration.ofSeconds(30), l.frameTimeout());
    assertEquals(4096, l.maxSkippedBytes());
  }

  @Test
  void oneWayTlsToTheEhrNeedsNoClientKeystoreInTheSecret() {
    Map<String, String> env = minimal();
    env.put("EHR_TLS", "true");
    env.put("EHR_TLS_MATERIAL", ("{\"truststore\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2})
        + "\",\"truststorePassword\":\"pw\"}"));
    BridgeConfig c = BridgeConfig.fromEnvironment(env);
    assertTrue(c.tls().enabled());
    assertFalse(c.tls().mutual());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2}, c.tls().truststore());
    env.put("EHR_TLS_MATERIAL", "{}"); // an empty secret: the JVM's trust store, one-way
    c = BridgeConfig.fromEnvironment(env);
    assertFalse(c.tls().mutual());
    assertEquals(null, c.tls().truststore());
    env.put("EHR_TLS_MATERIAL", "{\"keystore\":\"AQI=\"}");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    assertTrue(e.getMessage().contains("keystorePassword"), e.getMessage());
    env.put("EHR_TLS_MATERIAL", "not json s3cret");
    e = assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env));
    assertFalse(e.getMessage().contains("s3cret"), "never echoes the secret");
  }

  @Test
  void aListenerOnlyTaskNeedsNoSenderSettings() {
    Map<String, String> env = new HashMap<>();
    env.put("SENDER_ENABLED", "false");
    env.put("ENVIRONMENT", "local");
    env.put("FROM_EHR_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123/from-ehr.fifo");
    env.put("QUARANTINE_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123/quarantine");
    BridgeConfig c = BridgeConfig.fromEnvironment(env);
    assertFalse(c.senderEnabled());
    assertTrue(c.listener().enabled());
    env.remove("FROM_EHR_QUEUE_URL");
    env.remove("QUARANTINE_QUEUE_URL");
    assertThrows(IllegalStateException.class, () -> BridgeConfig.fromEnvironment(env), "neither sender nor listener");
  }
}
