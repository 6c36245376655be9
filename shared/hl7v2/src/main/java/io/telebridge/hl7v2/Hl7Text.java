package io.telebridge.hl7v2;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The project's one HL7 bytes ↔ text layer. Everything that turns HL7 v2 bytes into text (the MLLP
 * listener, the bridge's ACK reader, the EHR simulator, the tools) or text into bytes (the MLLP sender)
 * goes through here.
 *
 * <ul>
 *   <li>the charset is the one MSH-18 names ({@link Hl7Charsets}, read from the raw bytes: the MSH
 *       segment is ASCII in every charset carried), else the caller's default — the EHR profile's
 *       {@link EhrProfile#charset()};
 *   <li>decoding and encoding are strict ({@link CodingErrorAction#REPORT}): a byte sequence the charset
 *       cannot decode, or a character it cannot encode, is an error naming the offset, never a U+FFFD
 *       or a {@code ?} in a patient's name;
 *   <li>segment endings: CR, LF and CRLF are all accepted; text goes on with CR.
 * </ul>
 */
public final class Hl7Text {

  private static final int UTF8_BOM_LENGTH = 3;

  private Hl7Text() {}

  /**
   * The charset of a message's bytes: MSH-18's, or {@code whenAbsent} when MSH-18 is empty (or there is
   * no MSH: the text is then decoded to be refused with a readable reason).
   *
   * @throws UnreadableMessageException ({@code unknown-charset}, ERR 103 at MSH-18) when MSH-18 names a
   *     character set not in the table
   */
  public static Charset charsetOf(byte[] raw, Charset whenAbsent) {
    String msh18 = mshField(raw, 18);
    try {
      return Hl7Charsets.forMsh18(msh18).orElse(whenAbsent);
    } catch (IllegalArgumentException e) {
      throw new UnreadableMessageException(UnreadableMessageException.UNKNOWN_CHARSET, "103", "MSH", 18, e.getMessage());
    }
  }

  /**
   * Bytes → text in the charset MSH-18 names (else {@code whenAbsent}), strictly; a leading byte-order
   * mark and line ends before MSH are dropped, LF and CRLF segment ends become CR. Nothing else changes
   * (the text is the message as received).
   *
   * @throws UnreadableMessageException {@code unknown-charset} or {@code undecodable} (ERR 102, the byte
   *     offset and the charset named)
   */
  public static String decode(byte[] raw, Charset whenAbsent) {
    Charset charset = charsetOf(raw, whenAbsent);
    return crSegmentEnds(decodeStrictly(raw, charset));
  }

  /** Bytes → text in exactly this charset, strictly; see {@link #decode(byte[], Charset)}. */
  public static String decodeStrictly(byte[] raw, Charset charset) {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(raw);
    CharBuffer out = CharBuffer.allocate((int) Math.ceil(raw.length * (double) decoder.maxCharsPerByte()) + 4);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new UnreadableMessageException(UnreadableMessageException.UNDECODABLE, "102", "", 0,
          "the bytes at offset " + in.position() + " are not valid " + charset.name()
              + " (the character set MSH-18 names, or the EHR profile's default when it names none)");
    }
    out.flip();
    return out.toString();
  }

  /**
   * Text → bytes in this charset, strictly.
   *
   * @throws IllegalArgumentException naming the character offset when the charset cannot carry a character
   */
  public static byte[] encode(String text, Charset charset) {
    CharsetEncoder encoder = charset.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer in = CharBuffer.wrap(text);
    ByteBuffer out = ByteBuffer.allocate((int) Math.ceil(text.length() * (double) encoder.maxBytesPerChar()) + 4);
    CoderResult result = encoder.encode(in, out, true);
    if (!result.isError()) {
      result = encoder.flush(out);
    }
    if (result.isError()) {
      throw new IllegalArgumentException("the character at offset " + in.position() + " cannot be written in "
          + charset.name());
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /** Whether this charset can carry every character of the text. */
  public static boolean canEncode(String text, Charset charset) {
    return charset.newEncoder().canEncode(text);
  }

  /**
   * A byte-order mark and line ends before MSH dropped; CRLF and LF become CR. Everything else is kept
   * (the listener queues this text as received).
   */
  public static String crSegmentEnds(String text) {
    int start = 0;
    while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n'
        || text.charAt(start) == '\uFEFF')) {
      start++;
    }
    String t = start == 0 ? text : text.substring(start);
    if (t.indexOf('\n') < 0) {
      return t;
    }
    return t.replace("\r\n", "\r").replace('\n', '\r');
  }

  /**
   * The form the reader parses: segment endings to CR (CRLF, LF and CR all accepted), MLLP framing bytes,
   * a byte-order mark and blank lines dropped, no trailing terminator left dangling.
   */
  public static String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == 0x0b || c == 0x1c || c == '\uFEFF') {
        i++;
        continue;
      }
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\r') {
          out.append('\r');
        }
        i++;
        continue;
      }
      out.append(c);
      i++;
    }
    int start = 0;
    while (start < out.length() && Character.isWhitespace(out.charAt(start))) {
      start++;
    }
    int end = out.length();
    while (end > start && Character.isWhitespace(out.charAt(end - 1))) {
      end--;
    }
    return out.substring(start, end);
  }

  /**
   * MSH-n read straight from message bytes (MSH is ASCII in every charset carried), after a UTF-8
   * byte-order mark and line ends; null when the bytes do not start with an MSH segment. MSH-1 is the
   * field separator; the value is as encoded (not unescaped).
   */
  public static String mshField(byte[] raw, int n) {
    int start = 0;
    if (raw.length >= UTF8_BOM_LENGTH && (raw[0] & 0xff) == 0xef && (raw[1] & 0xff) == 0xbb && (raw[2] & 0xff) == 0xbf) {
      start = UTF8_BOM_LENGTH;
    }
    while (start < raw.length && (raw[start] == '\r' || raw[start] == '\n' || raw[start] == 0x0b)) {
      start++;
    }
    int end = start;
    while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
      end++;
    }
    String msh = new String(raw, start, end - start, StandardCharsets.ISO_8859_1);
    if (!msh.startsWith("MSH") || msh.length() < 4) {
      return null;
    }
    char separator = msh.charAt(3);
    return n == 1 ? String.valueOf(separator) : field(msh, separator, n - 1); // MSH-n is the (n-1)-th after "MSH"
  }

  /** The index-th field of one segment's text split on the field separator (index 0 = the segment id); "" when absent. */
  public static String field(String segment, char separator, int index) {
    int start = 0;
    for (int i = 0; i < index; i++) {
      int next = segment.indexOf(separator, start);
      if (next < 0) {
        return "";
      }
      start = next + 1;
    }
    int end = segment.indexOf(separator, start);
    return end < 0 ? segment.substring(start) : segment.substring(start, end);
  }
}
