package io.telebridge.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmartBackendAuthTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final URI TOKEN_URL = URI.create("https://ehr.example/oauth2/token");
  static final SmartBackendAuth.Settings SETTINGS = new SmartBackendAuth.Settings("telebridge-demo", TOKEN_URL,
      SmartBackendAuth.SCOPES_V2, Duration.ofSeconds(60));

  static SmartBackendAuth auth(com.nimbusds.jose.jwk.JWK key) {
    return new SmartBackendAuth(SETTINGS, key, HttpClient.newHttpClient(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void anRsaKeySignsAnRs384AssertionForTheTokenUrlThatExpiresInFiveMinutes() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k-rsa-1").generate();
    SignedJWT jwt = SignedJWT.parse(auth(key).clientAssertion(NOW));
    assertEquals(JWSAlgorithm.RS384, jwt.getHeader().getAlgorithm());
    assertEquals("k-rsa-1", jwt.getHeader().getKeyID());
    assertTrue(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey())));
    assertEquals(List.of(TOKEN_URL.toString()), jwt.getJWTClaimsSet().getAudience());
    assertEquals("telebridge-demo", jwt.getJWTClaimsSet().getIssuer());
    assertEquals("telebridge-demo", jwt.getJWTClaimsSet().getSubject());
    assertEquals(NOW.plus(Duration.ofMinutes(5)), jwt.getJWTClaimsSet().getExpirationTime().toInstant());
  }

  @Test
  void anEcKeySignsEs384AndEveryAssertionHasItsOwnJti() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_384).keyID("k-ec-1").generate();
    SmartBackendAuth auth = auth(key);
    SignedJWT first = SignedJWT.parse(auth.clientAssertion(NOW));
    SignedJWT second = SignedJWT.parse(auth.clientAssertion(NOW));
    assertEquals(JWSAlgorithm.ES384, first.getHeader().getAlgorithm());
    assertTrue(first.verify(new ECDSAVerifier(key.toECPublicKey())));
    assertNotEquals(first.getJWTClaimsSet().getJWTID(), second.getJWTClaimsSet().getJWTID());
  }

  @Test
  void thePublishedJwksHoldsThePublicKeyOnly() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k-rsa-2").generate();
    JWKSet set = JWKSet.parse(SmartBackendAuth.publicJwks(key));
    assertEquals("k-rsa-2", set.getKeys().getFirst().getKeyID());
    assertFalse(set.getKeys().getFirst().isPrivate());
  }

  @Test
  void aKeyWithoutKidIsRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    assertThrows(IllegalArgumentException.class, () -> auth(key));
  }
}
