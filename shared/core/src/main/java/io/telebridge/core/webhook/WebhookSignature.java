package io.telebridge.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature scheme, both ways.
 *
 * <pre>
 *   X-Telebridge-Timestamp: 1764080000                 (Unix seconds, UTC)
 *   X-Telebridge-Signature: v1=&lt;hex HMAC-SHA256(secret, timestamp + "." + raw body)&gt;
 * </pre>
 *
 * The signature header may hold several comma-separated {@code v1=} values (a sender in the
 * middle of a rotation signs with both secrets); the request is authentic when any one of them
 * matches any active secret. Comparison is constant-time. A timestamp more than the tolerance
 * away from now (either direction) is refused, which bounds replays.
 */
public final class WebhookSignature {

  public static final String TIMESTAMP_HEADER = "X-Telebridge-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Telebridge-Signature";
  public static final String SCHEME = "v1";
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private final Clock clock;
  private final Duration tolerance;

  public WebhookSignature(Clock clock, Duration tolerance) {
    this.clock = clock;
    this.tolerance = tolerance;
  }

  public WebhookSignature(Clock clock) {
    this(clock, DEFAULT_TOLERANCE);
  }

  /** Why a signature was refused; each maps to 401, the reason goes to the problem detail. */
  public enum Failure {
    MISSING_TIMESTAMP("the X-Telebridge-Timestamp header is missing"),
    MALFORMED_TIMESTAMP("the X-Telebridge-Timestamp header is not Unix seconds"),
    EXPIRED_TIMESTAMP("the X-Telebridge-Timestamp is more than the allowed tolerance away from now"),
    MISSING_SIGNATURE("the X-Telebridge-Signature header is missing or holds no v1= value"),
    MISMATCH("no v1 signature matches the body and timestamp");

    private final String detail;

    Failure(String detail) {
      this.detail = detail;
    }

    public String detail() {
      return detail;
    }
  }

  /**
   * Verifies a request. Returns {@code null} when authentic, otherwise the reason it is not.
   */
  public Failure verify(String timestampHeader, String signatureHeader, byte[] body, SigningSecrets secrets) {
    if (timestampHeader == null || timestampHeader.isBlank()) {
      return Failure.MISSING_TIMESTAMP;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return Failure.MALFORMED_TIMESTAMP;
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - timestamp) > tolerance.toSeconds()) {
      return Failure.EXPIRED_TIMESTAMP;
    }
    List<byte[]> offered = parseSignatures(signatureHeader);
    if (offered.isEmpty()) {
      return Failure.MISSING_SIGNATURE;
    }
    boolean match = false;
    for (String secret : secrets.active()) {
      byte[] expected = mac(secret, timestampHeader.trim(), body);
      for (byte[] candidate : offered) {
        // evaluate every pair: no early exit that would leak which secret matched
        match |= MessageDigest.isEqual(expected, candidate);
      }
    }
    return match ? null : Failure.MISMATCH;
  }

  /** The header value a sender puts in {@link #SIGNATURE_HEADER}. */
  public static String sign(String secret, long timestampSeconds, byte[] body) {
    return SCHEME + "=" + HEX.formatHex(mac(secret, Long.toString(timestampSeconds), body));
  }

  /** Convenience for senders: the timestamp to send now. */
  public static long timestampNow(Clock clock) {
    return Instant.now(clock).getEpochSecond();
  }

  private static List<byte[]> parseSignatures(String header) {
    List<byte[]> out = new ArrayList<>(2);
    if (header == null) {
      return out;
    }
    for (String part : header.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0 || !p.substring(0, eq).trim().equals(SCHEME)) {
        continue;
      }
      String hex = p.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
      if (hex.length() != 64) {
        continue;
      }
      try {
        out.add(HEX.parseHex(hex));
      } catch (IllegalArgumentException e) {
        // not hex: ignore this value, others may match
      }
    }
    return out;
  }

  private static byte[] mac(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
