package io.telebridge.hl7v2;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escaping;

/**
 * HL7 v2 escaping (section 2.7) for text that came from outside: every delimiter is escaped, always.
 *
 * <p>Why not HAPI's {@link DefaultEscaping}: it leaves a backslash alone when the next characters
 * look like a formatting sequence ({@code \.br\}, {@code \H\}, {@code \N\}, {@code \Xhh\},
 * {@code \Cxxyy\}, {@code \Mxxyyzz\}, {@code \Zxx\}), so a patient-typed {@code C:\X1\} or
 * {@code a\H\b} would reach the EHR as an escape sequence; and it escapes CR but not LF, so a
 * multi-line reason would split the segment at receivers that accept LF as a terminator.
 *
 * <p>Encoding: {@code | ^ & ~ \} become {@code \F\ \S\ \T\ \R\ \E\}; a line break (CR LF, CR or
 * LF) becomes {@code \.br\}, the HL7 line break of FT/TX fields (multi-line text only reaches NTE-3,
 * an FT field: single-line fields refuse control characters at intake); any other control
 * character becomes {@code \Xhh\}.
 *
 * <p>Decoding: the five delimiter escapes, {@code \Xhh..\} for ASCII bytes, {@code \.br\} → LF;
 * any other escape sequence is kept as it is (so a formatted FT field from an EHR stays readable).
 */
public final class StrictEscaping implements Escaping {

  @Override
  public String escape(String text, EncodingCharacters enc) {
    char field = enc.getFieldSeparator();
    char component = enc.getComponentSeparator();
    char subcomponent = enc.getSubcomponentSeparator();
    char repetition = enc.getRepetitionSeparator();
    char escape = enc.getEscapeCharacter();
    int n = text.length();
    int first = 0;
    while (first < n && !special(text.charAt(first), enc)) {
      first++;
    }
    if (first == n) {
      return text;
    }
    StringBuilder out = new StringBuilder(n + 16).append(text, 0, first);
    for (int i = first; i < n; i++) {
      char c = text.charAt(i);
      String seq;
      if (c == field) {
        seq = "F";
      } else if (c == component) {
        seq = "S";
      } else if (c == subcomponent) {
        seq = "T";
      } else if (c == repetition) {
        seq = "R";
      } else if (c == escape) {
        seq = "E";
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++; // CR LF is one line break
        }
        seq = ".br";
      } else if (c < 0x20 || c == 0x7f) {
        seq = "X" + hex(c);
      } else {
        out.append(c);
        continue;
      }
      out.append(escape).append(seq).append(escape);
    }
    return out.toString();
  }

  private static boolean special(char c, EncodingCharacters enc) {
    return c < 0x20
        || c == 0x7f
        || c == enc.getFieldSeparator()
        || c == enc.getComponentSeparator()
        || c == enc.getSubcomponentSeparator()
        || c == enc.getRepetitionSeparator()
        || c == enc.getEscapeCharacter();
  }

  private static String hex(char c) {
    String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    return h.length() == 1 ? "0" + h : h;
  }

  @Override
  public String unescape(String text, EncodingCharacters enc) {
    char escape = enc.getEscapeCharacter();
    if (text.indexOf(escape) < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c != escape) {
        out.append(c);
        i++;
        continue;
      }
      int close = text.indexOf(escape, i + 1);
      if (close < 0) {
        out.append(text, i, n); // a lone escape character: keep the rest as is
        break;
      }
      String seq = text.substring(i + 1, close);
      String decoded = decode(seq, enc);
      if (decoded == null) {
        out.append(text, i, close + 1); // unknown or formatting sequence: keep it
      } else {
        out.append(decoded);
      }
      i = close + 1;
    }
    return out.toString();
  }

  private static String decode(String seq, EncodingCharacters enc) {
    switch (seq) {
      case "F":
        return String.valueOf(enc.getFieldSeparator());
      case "S":
        return String.valueOf(enc.getComponentSeparator());
      case "T":
        return String.valueOf(enc.getSubcomponentSeparator());
      case "R":
        return String.valueOf(enc.getRepetitionSeparator());
      case "E":
        return String.valueOf(enc.getEscapeCharacter());
      case ".br":
        return "\n";
      default:
        break;
    }
    if (seq.length() >= 3 && seq.charAt(0) == 'X' && (seq.length() - 1) % 2 == 0) {
      StringBuilder b = new StringBuilder();
      for (int k = 1; k < seq.length(); k += 2) {
        int v;
        try {
          v = Integer.parseInt(seq.substring(k, k + 2), 16);
        } catch (NumberFormatException e) {
          return null;
        }
        if (v > 0x7f) {
          return null; // a multi-byte sequence in an unknown character set: keep it as sent
        }
        b.append((char) v);
      }
      return b.toString();
    }
    return null;
  }
}
