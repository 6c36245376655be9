package io.telebridge.mllp.hl7;

import java.util.ArrayList;
import java.util.List;

/**
 * Sparse reads of an ER7 message without parsing it (as Camel MLLP builds an ACK from the raw MSH
 * when the full parse fails): MSH fields and the first field of a segment. Segment separators CR,
 * LF and CRLF are all accepted. The separators come from MSH-1 / MSH-2.
 *
 * <p>Field numbering is HL7's: for MSH, field 1 is the field separator itself, field 2 the
 * encoding characters, field 10 the control id.
 */
public final class RawHl7 {

  private final String text;
  private final char fieldSeparator;
  private final char componentSeparator;
  private final char repetitionSeparator;
  private final List<String> segments;

  private RawHl7(String text) {
    this.text = text;
    this.segments = splitSegments(text);
    if (!text.startsWith("MSH") || text.length() < 8) {
      throw new IllegalArgumentException("not an HL7 v2 message: it does not start with an MSH segment");
    }
    this.fieldSeparator = text.charAt(3);
    this.componentSeparator = text.charAt(4);
    this.repetitionSeparator = text.charAt(5);
  }

  /** @throws IllegalArgumentException if the text does not start with {@code MSH} and its separators */
  public static RawHl7 of(String er7) {
    return new RawHl7(er7);
  }

  /** Whether the text starts like an HL7 v2 message. */
  public static boolean looksLikeHl7(String er7) {
    return er7 != null && er7.startsWith("MSH") && er7.length() >= 8;
  }

  public String text() {
    return text;
  }

  public char fieldSeparator() {
    return fieldSeparator;
  }

  /** MSH-2, e.g. {@code ^~\&}. */
  public String encodingCharacters() {
    return msh(2);
  }

  /** MSH-n as encoded (empty string when absent). */
  public String msh(int n) {
    if (n == 1) {
      return String.valueOf(fieldSeparator);
    }
    return segmentField(segments.get(0), n - 1);
  }

  /** MSH-10, the message control id. */
  public String controlId() {
    return msh(10);
  }

  /** MSH-9 as {@code TYPE^TRIGGER} (the message structure component is left out). */
  public String messageType() {
    String[] c = split(msh(9), componentSeparator);
    if (c.length == 0 || c[0].isEmpty()) {
      return "";
    }
    return c.length > 1 && !c[1].isEmpty() ? c[0] + "^" + c[1] : c[0];
  }

  /** MSH-9.2, the trigger event (empty when absent). */
  public String triggerEvent() {
    String[] c = split(msh(9), componentSeparator);
    return c.length > 1 ? c[1] : "";
  }

  /** Field {@code n} of the first segment with this id (not MSH), as encoded; empty when absent. */
  public String field(String segmentId, int n) {
    for (String s : segments) {
      if (s.startsWith(segmentId) && s.length() > segmentId.length() && s.charAt(segmentId.length()) == fieldSeparator) {
        return segmentField(s, n);
      }
    }
    return "";
  }

  /** The first component (id) of each repetition of PID-3. */
  public List<String> patientIds() {
    List<String> out = new ArrayList<>();
    for (String rep : split(field("PID", 3), repetitionSeparator)) {
      String id = split(rep, componentSeparator)[0];
      if (!id.isEmpty()) {
        out.add(id);
      }
    }
    return out;
  }

  public List<String> segments() {
    return segments;
  }

  private String segmentField(String segment, int index) {
    return fieldOf(segment, fieldSeparator, index);
  }

  /** The index-th field of a segment split on the separator (index 0 = segment id). */
  private static String fieldOf(String segment, char separator, int index) {
    return io.telebridge.hl7v2.Hl7Text.field(segment, separator, index);
  }

  /** The parts of {@code value} between separators, empty ones kept (no regex). */
  static String[] split(String value, char separator) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (true) {
      int next = value.indexOf(separator, start);
      if (next < 0) {
        parts.add(value.substring(start));
        return parts.toArray(String[]::new);
      }
      parts.add(value.substring(start, next));
      start = next + 1;
    }
  }

  private static List<String> splitSegments(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        if (i > start) {
          out.add(text.substring(start, i));
        }
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return List.copyOf(out);
  }

  /** Ids only: never the content. */
  @Override
  public String toString() {
    return "RawHl7[controlId=" + (text.startsWith("MSH") ? controlId() : "?") + ", type=" + messageType() + "]";
  }
}
