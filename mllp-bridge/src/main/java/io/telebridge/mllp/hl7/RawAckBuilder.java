package io.telebridge.mllp.hl7;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The one ACK builder (the listener's ACKs and the EHR simulator's). Builds ACKs from the raw MSH of the message they answer, so that an ACK can be
 * sent even when the message does not parse (Camel MLLP's approach): the message's own field
 * separator and encoding characters (MSH-1, MSH-2), MSH-3/4 and MSH-5/6 swapped, MSH-10 echoed in
 * MSA-2, MSH-11 (processing id) and MSH-12 (version) echoed, MSH-18 (character set) echoed. Text
 * without an MSH gets the default separators {@code |^~\&}, version 2.5.1 and an empty MSA-2.
 *
 * <p>An error is written as the message's version expects it: v2.5 and later
 * {@code ERR||<location>|<code>^<text>^HL70357|E||||<diagnostic>} (ERR-2 location, ERR-3 code from
 * table 0357, ERR-4 severity, ERR-7 diagnostic); v2.1 to v2.4 the ELD in ERR-1
 * ({@code <segment>^<sequence>^<field>^<code>&<text>&HL70357}). The diagnostic is free text the
 * caller must keep free of message content (no PHI); it is escaped here.
 */
public final class RawAckBuilder {

  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
  private static final String DEFAULT_ENCODING = "^~\\&";
  public static final String DEFAULT_VERSION = "2.5.1";

  /** HL7 table 0357 (message error condition codes) texts. */
  public static final Map<String, String> TABLE_0357 = Map.ofEntries(
      Map.entry("0", "Message accepted"), Map.entry("100", "Segment sequence error"),
      Map.entry("101", "Required field missing"), Map.entry("102", "Data type error"),
      Map.entry("103", "Table value not found"), Map.entry("200", "Unsupported message type"),
      Map.entry("201", "Unsupported event code"), Map.entry("202", "Unsupported processing id"),
      Map.entry("203", "Unsupported version id"), Map.entry("204", "Unknown key identifier"),
      Map.entry("205", "Duplicate key identifier"), Map.entry("206", "Application record locked"),
      Map.entry("207", "Application internal error"));

  /**
   * An error to report in ERR.
   *
   * @param code table 0357 code, e.g. {@code 101}
   * @param segment segment id of the location, e.g. {@code MSH} (empty: no location)
   * @param sequence segment sequence (1 for the first), 0 when unknown
   * @param field field position, 0 when unknown
   * @param diagnostic free text without message content (no PHI)
   */
  public record Error(String code, String segment, int sequence, int field, String diagnostic) {

    /** An error at a location written as ERR-2 reads, {@code SEG^sequence^field} (empty: no location). */
    public static Error atLocation(String code, String location, String diagnostic) {
      String[] parts = location == null ? new String[0] : location.split("\\^", -1);
      String segment = parts.length > 0 ? parts[0] : "";
      return new Error(code, segment, parts.length > 1 ? number(parts[1]) : 0, parts.length > 2 ? number(parts[2]) : 0,
          diagnostic);
    }

    private static int number(String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    public static Error of(String code, String diagnostic) {
      return new Error(code, "", 0, 0, diagnostic);
    }

    public static Error at(String code, String segment, int field, String diagnostic) {
      return new Error(code, segment, 1, field, diagnostic);
    }
  }

  /** The separators, ids and version read from the raw MSH; defaults when the text has no usable MSH. */
  private record Header(char field, String encoding, String msh3, String msh4, String msh5, String msh6,
      String trigger, String controlId, String processingId, String version, String charset) {}

  private RawAckBuilder() {}

  /**
   * The ACK text (segments ended by CR).
   *
   * @param message the message as received (decoded; CR, LF or CRLF segment ends), or anything
   * @param code MSA-1
   * @param error an error for ERR, or null (no ERR segment)
   * @param ackControlId MSH-10 of the ACK
   */
  public static String build(String message, AckCode code, Error error, String ackControlId, ZonedDateTime now) {
    return build(message, code, null, error, ackControlId, now);
  }

  /**
   * As {@link #build(String, AckCode, Error, String, ZonedDateTime)}, with MSA-2 given (null: the
   * message's MSH-10): the EHR simulator answers with a wrong control id on purpose.
   */
  public static String build(String message, AckCode code, String msa2, Error error, String ackControlId,
      ZonedDateTime now) {
    Header h = header(message);
    char f = h.field();
    String enc = h.encoding();
    char c = enc.charAt(0);
    char sub = enc.length() > 3 ? enc.charAt(3) : '&';
    StringBuilder b = new StringBuilder(256);
    b.append("MSH").append(f).append(enc).append(f)
        .append(h.msh5()).append(f).append(h.msh6()).append(f)
        .append(h.msh3()).append(f).append(h.msh4()).append(f)
        .append(TS.format(now)).append(f).append(f)
        .append("ACK").append(h.trigger().isEmpty() ? "" : c + h.trigger()).append(c).append("ACK").append(f)
        .append(escape(ackControlId, f, enc)).append(f)
        .append(h.processingId().isEmpty() ? "P" : h.processingId()).append(f)
        .append(h.version());
    if (!h.charset().isEmpty()) {
      b.append(f).append(f).append(f).append(f).append(f).append(f).append(h.charset()); // MSH-13..17 empty
    }
    b.append('\r');
    b.append("MSA").append(f).append(code.name()).append(f).append(msa2 == null ? h.controlId() : escape(msa2, f, enc))
        .append('\r');
    if (error != null) {
      String text = TABLE_0357.getOrDefault(error.code(), "Error");
      String diagnostic = escape(error.diagnostic() == null ? "" : error.diagnostic(), f, enc);
      b.append("ERR").append(f);
      if (legacyErr(h.version())) {
        // ERR-1 (ELD): segment^sequence^field^code&text&HL70357
        b.append(error.segment()).append(c).append(error.sequence() > 0 ? Integer.toString(error.sequence()) : "")
            .append(c).append(error.field() > 0 ? Integer.toString(error.field()) : "").append(c)
            .append(error.code()).append(sub).append(text).append(sub).append("HL70357");
        b.append('\r');
      } else {
        b.append(f); // ERR-1 empty
        if (!error.segment().isEmpty()) { // ERR-2 (ERL)
          b.append(error.segment()).append(c).append(error.sequence() > 0 ? Integer.toString(error.sequence()) : "1");
          if (error.field() > 0) {
            b.append(c).append(error.field());
          }
        }
        b.append(f).append(error.code()).append(c).append(text).append(c).append("HL70357") // ERR-3
            .append(f).append('E') // ERR-4 severity
            .append(f).append(f).append(f) // ERR-5, ERR-6
            .append(f).append(diagnostic) // ERR-7 diagnostic information
            .append('\r');
      }
    }
    return b.toString();
  }

  /** v2.1 to v2.4 report errors in ERR-1 (ELD); v2.5 introduced ERR-2..12. */
  static boolean legacyErr(String version) {
    String v = version.trim();
    return v.startsWith("2.1") || v.startsWith("2.2") || v.startsWith("2.3") || v.startsWith("2.4");
  }

  private static Header header(String message) {
    String text = message == null ? "" : stripLeadingLineEnds(message);
    if (!usableMsh(text)) {
      return new Header('|', DEFAULT_ENCODING, "", "", "", "", "", "", "", DEFAULT_VERSION, "");
    }
    int end = 0;
    while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
      end++;
    }
    String msh = text.substring(0, end);
    char f = msh.charAt(3);
    String[] fields = RawHl7.split(msh, f); // fields[0] = "MSH", fields[1] = MSH-2, fields[n-1] = MSH-n
    String enc = field(fields, 2);
    if (enc.length() < 2 || enc.indexOf(f) >= 0) {
      enc = DEFAULT_ENCODING;
    }
    char c = enc.charAt(0);
    String msh9 = field(fields, 9);
    String[] type = RawHl7.split(msh9, c);
    String trigger = type.length > 1 ? type[1] : "";
    String version = first(field(fields, 12), c);
    return new Header(f, enc, field(fields, 3), field(fields, 4), field(fields, 5), field(fields, 6),
        trigger, field(fields, 10), field(fields, 11), version.isEmpty() ? DEFAULT_VERSION : version, field(fields, 18));
  }

  /** An MSH whose field separator is a printable non-alphanumeric character. */
  static boolean usableMsh(String text) {
    if (text.length() < 8 || !text.startsWith("MSH")) {
      return false;
    }
    char f = text.charAt(3);
    return f > ' ' && f < 127 && !Character.isLetterOrDigit(f);
  }

  static String stripLeadingLineEnds(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == '\r' || s.charAt(i) == '\n' || s.charAt(i) == '\uFEFF')) {
      i++;
    }
    return i == 0 ? s : s.substring(i);
  }

  /** MSH-n from the split MSH (MSH-1 is the separator itself: fields[k] is MSH-(k+1)). */
  private static String field(String[] fields, int n) {
    int index = n - 1;
    return index < fields.length ? fields[index] : "";
  }

  private static String first(String value, char separator) {
    int i = value.indexOf(separator);
    return i < 0 ? value : value.substring(0, i);
  }

  /** HL7 escaping with the message's own delimiters; line ends dropped. */
  static String escape(String value, char field, String enc) {
    char comp = enc.charAt(0);
    char rep = enc.length() > 1 ? enc.charAt(1) : '~';
    char esc = enc.length() > 2 ? enc.charAt(2) : '\\';
    char sub = enc.length() > 3 ? enc.charAt(3) : '&';
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == esc) {
        b.append(esc).append('E').append(esc);
      } else if (ch == field) {
        b.append(esc).append('F').append(esc);
      } else if (ch == comp) {
        b.append(esc).append('S').append(esc);
      } else if (ch == rep) {
        b.append(esc).append('R').append(esc);
      } else if (ch == sub) {
        b.append(esc).append('T').append(esc);
      } else if (ch == '\r' || ch == '\n') {
        b.append(' ');
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }
}
