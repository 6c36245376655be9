package io.telebridge.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final long NOW = 1_764_080_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private static final byte[] BODY = "{\"id\":\"evt-1\"}".getBytes(StandardCharsets.UTF_8);
  private final WebhookSignature verifier = new WebhookSignature(CLOCK);

  @Test
  void signsWithTheDocumentedKnownAnswer() {
    // computed independently: printf '%s' '1764080000.{"id":"evt-1"}' | openssl dgst -sha256 -hmac secret
    assertEquals("v1=b39a5a8546eb80af2cd260002f7dbcf1f4296261bbce07d8c35e31ed68e283d6", WebhookSignature.sign("secret", NOW, BODY));
  }

  @Test
  void acceptsASignatureMadeWithTheCurrentSecret() {
    String sig = WebhookSignature.sign("current-secret", NOW, BODY);
    assertNull(verifier.verify(Long.toString(NOW), sig, BODY, new SigningSecrets("current-secret", "old-secret")));
  }

  @Test
  void acceptsTheSecretBeingRotatedOut() {
    String sig = WebhookSignature.sign("old-secret", NOW, BODY);
    assertNull(verifier.verify(Long.toString(NOW), sig, BODY, new SigningSecrets("current-secret", "old-secret")));
  }

  @Test
  void acceptsAHeaderCarryingSeveralSignaturesWhenOneMatches() {
    String header = WebhookSignature.sign("unknown", NOW, BODY) + ", " + WebhookSignature.sign("current-secret", NOW, BODY);
    assertNull(verifier.verify(Long.toString(NOW), header, BODY, SigningSecrets.of("current-secret")));
  }

  @Test
  void refusesASecretThatIsNoLongerActive() {
    String sig = WebhookSignature.sign("old-secret", NOW, BODY);
    assertEquals(WebhookSignature.Failure.MISMATCH,
        verifier.verify(Long.toString(NOW), sig, BODY, SigningSecrets.of("current-secret")));
  }

  @Test
  void refusesATamperedBody() {
    String sig = WebhookSignature.sign("s", NOW, BODY);
    byte[] tampered = "{\"id\":\"evt-2\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(WebhookSignature.Failure.MISMATCH, verifier.verify(Long.toString(NOW), sig, tampered, SigningSecrets.of("s")));
  }

  @Test
  void refusesASignatureReplayedUnderAnotherTimestamp() {
    String sig = WebhookSignature.sign("s", NOW - 10, BODY);
    assertEquals(WebhookSignature.Failure.MISMATCH, verifier.verify(Long.toString(NOW), sig, BODY, SigningSecrets.of("s")));
  }

  @Test
  void refusesTimestampsMoreThanFiveMinutesOffEitherWay() {
    long old = NOW - 301;
    long future = NOW + 301;
    assertEquals(WebhookSignature.Failure.EXPIRED_TIMESTAMP,
        verifier.verify(Long.toString(old), WebhookSignature.sign("s", old, BODY), BODY, SigningSecrets.of("s")));
    assertEquals(WebhookSignature.Failure.EXPIRED_TIMESTAMP,
        verifier.verify(Long.toString(future), WebhookSignature.sign("s", future, BODY), BODY, SigningSecrets.of("s")));
  }

  @Test
  void acceptsATimestampExactlyAtTheTolerance() {
    long edge = NOW - 300;
    assertNull(verifier.verify(Long.toString(edge), WebhookSignature.sign("s", edge, BODY), BODY, SigningSecrets.of("s")));
  }

  @Test
  void namesWhatIsMissingOrMalformed() {
    SigningSecrets s = SigningSecrets.of("s");
    assertEquals(WebhookSignature.Failure.MISSING_TIMESTAMP, verifier.verify(null, "v1=00", BODY, s));
    assertEquals(WebhookSignature.Failure.MALFORMED_TIMESTAMP, verifier.verify("2026-11-25T10:00:00Z", "v1=00", BODY, s));
    assertEquals(WebhookSignature.Failure.MISSING_SIGNATURE, verifier.verify(Long.toString(NOW), null, BODY, s));
    assertEquals(WebhookSignature.Failure.MISSING_SIGNATURE, verifier.verify(Long.toString(NOW), "v0=abc", BODY, s));
    assertEquals(WebhookSignature.Failure.MISSING_SIGNATURE,
        verifier.verify(Long.toString(NOW), "v1=" + "zz".repeat(32), BODY, s));
  }

  @Test
  void secretsNeverAppearInToString() {
    assertEquals("SigningSecrets[current=***, previous=***]", new SigningSecrets("abc", "def").toString());
  }
}
