package io.telebridge.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keys that name a patient, an event or a message within one tenant: the one place that builds FIFO
 * message group and deduplication ids and opaque ids for identifiers that must not appear in clear
 * (an MRN in a log line or a queue's group id).
 */
public final class TenantKeys {

  /** SQS's limit for MessageGroupId and MessageDeduplicationId. */
  public static final int MAX_FIFO_ID = 128;

  private TenantKeys() {}

  /**
   * A FIFO MessageGroupId or MessageDeduplicationId for {@code id} within {@code tenant}:
   * {@code <tenant>:<id>} when that fits SQS's 128 characters of letters, digits and punctuation,
   * else {@code t#} and 64 hex digits of SHA-256 over both (still one value per tenant and id; two
   * tenants never share one).
   */
  public static String fifoId(String tenant, String id) {
    String plain = tenant + ":" + id;
    if (plain.length() <= MAX_FIFO_ID && fifoSafe(plain) && tenant.indexOf(':') < 0) {
      return plain;
    }
    return "t#" + sha256(tenant, id);
  }

  /**
   * An opaque id for an identifier that is PHI (an MRN): {@code <prefix>#} and 16 hex digits of
   * SHA-256 over the parts. Stable, so log lines of one patient correlate; not reversible by reading.
   */
  public static String opaque(String prefix, String... parts) {
    return prefix + "#" + sha256(parts).substring(0, 16);
  }

  /** 64 hex digits of SHA-256 over the parts, each followed by a unit separator. */
  public static String sha256(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x1f);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SQS allows letters, digits and ASCII punctuation in FIFO ids. */
  private static boolean fifoSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 127) {
        return false;
      }
    }
    return true;
  }
}
