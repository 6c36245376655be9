package io.telebridge.core.claimcheck;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A claim check: where a payload too large for a queue message was stored, and how to know it is the
 * right one. It travels through a FIFO queue in place of the payload, as a small JSON body:
 *
 * <pre>{"claimCheck":{"bucket":"...","key":"...","sha256":"...","size":123}}</pre>
 *
 * <p>No PHI: bucket and key are built from the tenant and opaque hashes. The JSON has one fixed shape
 * (written and read here, nowhere else); every field's characters are checked, so no escaping is needed.
 *
 * @param bucket the S3 bucket
 * @param key the object key (tenant prefix, then a hash of the tenant and the event or message id)
 * @param sha256 64 lower-case hex digits of SHA-256 over the stored bytes
 * @param size the stored bytes' length
 */
public record ClaimCheck(String bucket, String key, String sha256, long size) {

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9/._-]{0,1023}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern JSON = Pattern.compile(
      "\\s*\\{\\s*\"claimCheck\"\\s*:\\s*\\{\\s*\"bucket\"\\s*:\\s*\"([^\"]*)\"\\s*,\\s*\"key\"\\s*:\\s*\"([^\"]*)\"\\s*,"
          + "\\s*\"sha256\"\\s*:\\s*\"([^\"]*)\"\\s*,\\s*\"size\"\\s*:\\s*([0-9]{1,12})\\s*}\\s*}\\s*");
  /** Longer than any claim check body: a body this long is never parsed as one. */
  private static final int MAX_JSON = 2048;

  public ClaimCheck {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("claim check: not an S3 bucket name");
    }
    if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException("claim check: key must be letters, digits and / . _ -");
    }
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("claim check: sha256 must be 64 lower-case hex digits");
    }
    if (size < 0) {
      throw new IllegalArgumentException("claim check: size must not be negative");
    }
  }

  /** The claim check for {@code payload} stored under {@code bucket}/{@code key}. */
  public static ClaimCheck of(String bucket, String key, byte[] payload) {
    return new ClaimCheck(bucket, key, sha256Hex(payload), payload.length);
  }

  /** The queue body that stands in for the payload. */
  public String toJson() {
    return "{\"claimCheck\":{\"bucket\":\"" + bucket + "\",\"key\":\"" + key + "\",\"sha256\":\"" + sha256
        + "\",\"size\":" + size + "}}";
  }

  /**
   * The claim check a queue body holds, or empty when the body is the payload itself (an ordinary
   * event or HL7 message). A body shaped like a claim check whose fields are invalid is refused.
   *
   * @throws ClaimCheckException when the body has the claim check's shape but not valid fields
   */
  public static Optional<ClaimCheck> in(String body) {
    if (body == null || body.length() > MAX_JSON || !body.contains("\"claimCheck\"")) {
      return Optional.empty();
    }
    Matcher m = JSON.matcher(body);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ClaimCheck(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4))));
    } catch (IllegalArgumentException e) {
      throw new ClaimCheckException(e.getMessage());
    }
  }

  /** Whether {@code payload} is what this claim check names: same length, same SHA-256. */
  public boolean matches(byte[] payload) {
    return payload.length == size && sha256Hex(payload).equals(sha256);
  }

  /** 64 lower-case hex digits of SHA-256 over {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
