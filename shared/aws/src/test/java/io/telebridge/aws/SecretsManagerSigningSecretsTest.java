package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.telebridge.core.webhook.SigningSecrets;
import org.junit.jupiter.api.Test;

class SecretsManagerSigningSecretsTest {

  @Test
  void readsCurrentAndPreviousFromJson() {
    SigningSecrets s = SecretsManagerSigningSecrets.parse("{\"current\":\"new\",\"previous\":\"old\"}");
    assertEquals("new", s.current());
    assertEquals("old", s.previous());
  }

  @Test
  void readsAPlainStringAsTheCurrentSecret() {
    SigningSecrets s = SecretsManagerSigningSecrets.parse("  plain-secret \n");
    assertEquals("plain-secret", s.current());
    assertNull(s.previous());
  }

  @Test
  void refusesJsonWithoutACurrentSecret() {
    assertThrows(IllegalArgumentException.class, () -> SecretsManagerSigningSecrets.parse("{\"previous\":\"old\"}"));
    assertThrows(IllegalArgumentException.class, () -> SecretsManagerSigningSecrets.parse("{\"current\":"));
    assertThrows(IllegalArgumentException.class, () -> SecretsManagerSigningSecrets.parse(" "));
  }

  @Test
  void readsOneCurrentAndPreviousSecretPerTenantAndRefusesASecretWithoutTenants() {
    io.telebridge.core.webhook.TenantSecrets t = SecretsManagerSigningSecrets.parseTenants(
        "{\"tenants\":{\"a\":{\"current\":\"a1\",\"previous\":\"a0\"},\"b\":{\"current\":\"b1\"}}}");
    assertEquals(java.util.List.of("a1", "a0"), t.byTenant().get("a").active());
    assertEquals(java.util.List.of("b1"), t.byTenant().get("b").active());
    assertThrows(IllegalArgumentException.class, () -> SecretsManagerSigningSecrets.parseTenants("{\"current\":\"x\"}"));
    assertThrows(IllegalArgumentException.class, () -> SecretsManagerSigningSecrets.parseTenants("{\"tenants\":{\"a\":{}}}"));
  }
}
