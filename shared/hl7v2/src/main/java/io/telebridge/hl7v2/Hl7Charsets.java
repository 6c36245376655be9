package io.telebridge.hl7v2;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one MSH-18 table of the project: HL7 table 0211 (character sets) and the spellings EHRs send
 * in the wild, to a Java charset. Used for reading (the listener, the ACK reader, the EHR simulator,
 * through {@link Hl7Text}) and for writing (the EHR profile's {@code characterSet}, which the builders
 * put in MSH-18 and the bridge encodes with).
 *
 * <ul>
 *   <li>{@code ASCII} (also {@code ISO IR6});
 *   <li>{@code 8859/1} … {@code 8859/9} and {@code 8859/15} (also {@code ISO IR100} …, and the
 *       {@code ISO-8859-n} / {@code ISO8859-n} spellings);
 *   <li>{@code UNICODE UTF-8} (also {@code UNICODE}, {@code UTF-8}, {@code UTF8}, {@code UNICODE UTF8});
 *   <li>{@code WINDOWS-1252} / {@code CP1252}, which feeds that say nothing else send.
 * </ul>
 *
 * Names are compared trimmed and upper case; only the first repetition of MSH-18 counts (further ones
 * name alternates for escape sequences). UTF-16/32 are not carried: their MSH segment is not ASCII
 * and MLLP peers do not send them. A name not in the table is unknown: the reader refuses the message
 * (never a guess that would turn letters into U+FFFD).
 */
public final class Hl7Charsets {

  private static final Map<String, Charset> TABLE_0211 = table();

  private Hl7Charsets() {}

  private static Map<String, Charset> table() {
    Map<String, Charset> t = new LinkedHashMap<>();
    t.put("ASCII", StandardCharsets.US_ASCII);
    t.put("ISO IR6", StandardCharsets.US_ASCII);
    String[] isoIr = {"", "ISO IR100", "ISO IR101", "ISO IR109", "ISO IR110", "ISO IR144", "ISO IR127", "ISO IR126",
        "ISO IR138", "ISO IR148"};
    for (int n = 1; n <= 9; n++) {
      Charset cs = Charset.forName("ISO-8859-" + n);
      t.put("8859/" + n, cs);
      t.put(isoIr[n], cs);
      t.put("ISO-8859-" + n, cs);
      t.put("ISO8859-" + n, cs);
    }
    Charset latin9 = Charset.forName("ISO-8859-15");
    t.put("8859/15", latin9);
    t.put("ISO IR203", latin9);
    t.put("ISO-8859-15", latin9);
    t.put("ISO8859-15", latin9);
    for (String utf8 : new String[] {"UNICODE UTF-8", "UNICODE", "UTF-8", "UTF8", "UNICODE UTF8"}) {
      t.put(utf8, StandardCharsets.UTF_8);
    }
    Charset windows = Charset.forName("windows-1252");
    t.put("WINDOWS-1252", windows);
    t.put("CP1252", windows);
    return Collections.unmodifiableMap(t);
  }

  /**
   * The charset an MSH-18 value names.
   *
   * @return empty when the value is blank (the caller's default applies)
   * @throws IllegalArgumentException when it names a character set not in the table
   */
  public static Optional<Charset> forMsh18(String msh18) {
    String name = canonical(msh18);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Charset cs = TABLE_0211.get(name);
    if (cs == null) {
      throw new IllegalArgumentException("MSH-18 names a character set telebridge does not know: " + printable(name));
    }
    return Optional.of(cs);
  }

  /** Whether the value is blank or a name in the table. */
  public static boolean known(String msh18) {
    String name = canonical(msh18);
    return name.isEmpty() || TABLE_0211.containsKey(name);
  }

  /** Every name the table knows (upper case), in a stable order. */
  public static Set<String> names() {
    return TABLE_0211.keySet();
  }

  private static String canonical(String msh18) {
    if (msh18 == null) {
      return "";
    }
    String name = msh18;
    int rep = name.indexOf('~');
    if (rep >= 0) {
      name = name.substring(0, rep);
    }
    return name.trim().toUpperCase(Locale.ROOT);
  }

  /** A sender's MSH-18 value for an error message: letters, digits, space, / and - only, capped. */
  static String printable(String value) {
    String s = value.replaceAll("[^A-Za-z0-9 /._-]", "?");
    return s.length() > 32 ? s.substring(0, 32) + "..." : s;
  }
}
