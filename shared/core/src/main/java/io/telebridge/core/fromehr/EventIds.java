package io.telebridge.core.fromehr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic outbound event ids: {@code ehr-} + 40 hex digits of SHA-256 over the parts. */
public final class EventIds {

  private EventIds() {}

  public static String derive(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x1f);
      }
      return "ehr-" + HexFormat.of().formatHex(sha.digest()).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
