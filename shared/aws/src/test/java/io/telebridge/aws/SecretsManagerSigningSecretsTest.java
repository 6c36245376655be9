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
}
