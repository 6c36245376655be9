package io.telebridge.mllp.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * MSH-18 (character set, HL7 table 0211) to a Java charset. The MSH segment itself is ASCII in
 * every charset HL7 v2 allows over MLLP except UTF-16/32, so it can be read from the raw bytes
 * before decoding ({@link #detect(byte[], Charset)}). Unknown or empty MSH-18: the configured
 * default (UTF-8 unless configured otherwise; senders that omit MSH-18 and send windows-1252 are
 * handled by configuring that default).
 */
public final class Hl7Charsets {

  private static final Map<String, Charset> TABLE_0211 = Map.ofEntries(
      Map.entry("ASCII", StandardCharsets.US_ASCII),
      Map.entry("ISO IR6", StandardCharsets.US_ASCII),
      Map.entry("8859/1", StandardCharsets.ISO_8859_1),
      Map.entry("ISO IR100", StandardCharsets.ISO_8859_1),
      Map.entry("UNICODE UTF-8", StandardCharsets.UTF_8),
      Map.entry("UNICODE", StandardCharsets.UTF_8),
      Map.entry("UTF-8", StandardCharsets.UTF_8));

  private Hl7Charsets() {}

  /** The charset MSH-18 names, or {@code fallback} when it is empty, unknown or unsupported. */
  public static Charset forMsh18(String msh18, Charset fallback) {
    if (msh18 == null) {
      return fallback;
    }
    String name = msh18.trim().toUpperCase(Locale.ROOT);
    int rep = name.indexOf('~');
    if (rep >= 0) {
      name = name.substring(0, rep).trim();
    }
    if (name.isEmpty()) {
      return fallback;
    }
    Charset known = TABLE_0211.get(name);
    if (known != null) {
      return known;
    }
    if (name.startsWith("8859/")) {
      return supported("ISO-8859-" + name.substring(5), fallback);
    }
    return switch (name) {
      case "BIG-5" -> supported("Big5", fallback);
      case "GB 18030-2000" -> supported("GB18030", fallback);
      case "KS X 1001" -> supported("EUC-KR", fallback);
      default -> supported(name, fallback); // e.g. WINDOWS-1252, seen in the wild
    };
  }

  /** Reads MSH-18 from the raw bytes of a message and maps it. */
  public static Charset detect(byte[] message, Charset fallback) {
    return forMsh18(RawHl7.mshFieldFromBytes(message, 18), fallback);
  }

  private static Charset supported(String name, Charset fallback) {
    try {
      return Charset.isSupported(name) ? Charset.forName(name) : fallback;
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }
}
