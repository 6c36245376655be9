package io.telebridge.hl7v2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic MSH-10 control ids: the same (tenant, event id, message kind) always gives the same
 * id, so a redelivered event yields the same message and the EHR (and the bridge's ACK check) sees
 * a repeat, not a new message.
 *
 * <p>The id is the first 100 bits of SHA-256({@code tenant/eventId/kind}) in RFC 4648 base32
 * ({@code A-Z2-7}): exactly 20 characters, the ST limit of MSH-10 in v2.5.1, with no character that
 * needs escaping. The kind names the message, variant included ({@code ADT^A04}, {@code ADT^A28},
 * {@code SIU^S12}), so one event that yields two messages gives two ids.
 */
public final class ControlIds {

  /** MSH-10 is at most 20 characters in v2.5.1. */
  public static final int LENGTH = 20;

  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ControlIds() {}

  /** The control id of one message of one event. */
  public static String of(String tenant, String eventId, String messageKind) {
    byte[] digest;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      digest = sha.digest((nz(tenant) + "/" + nz(eventId) + "/" + nz(messageKind)).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    // 20 base32 characters = 100 bits = the first 12.5 bytes
    char[] out = new char[LENGTH];
    int buffer = 0;
    int bits = 0;
    int next = 0;
    for (int i = 0; i < LENGTH; i++) {
      if (bits < 5) {
        buffer = (buffer << 8) | (digest[next++] & 0xff);
        bits += 8;
      }
      out[i] = BASE32[(buffer >> (bits - 5)) & 0x1f];
      bits -= 5;
    }
    return new String(out);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
