package io.telebridge.mllp.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.util.Terser;
import io.telebridge.hl7v2.Hl7Context;
import java.util.regex.Pattern;

/**
 * Reads ACKs with HAPI: the project's inbound configuration ({@link Hl7Context#inbound()}: the fixed
 * v2.5.1 model so 2.3 to 2.5.1 ACKs read alike, validation off: an ACK is read, not judged),
 * {@link Terser} for the sparse reads. The bytes were decoded by {@link io.telebridge.hl7v2.Hl7Text}. When HAPI cannot parse the answer
 * (an unknown version, a broken MSH), MSA is read from the raw segments instead, as Camel MLLP does.
 *
 * <p>Only coded values are read (see {@link Ack}); free text never leaves this class. Not
 * thread-safe in theory (HAPI parsers share state); the bridge reads ACKs on one thread.
 */
public final class AckReader {

  /** Codes and positions only: letters, digits and HL7 component separators, capped. */
  private static final Pattern SAFE = Pattern.compile("[^A-Za-z0-9^._-]");
  private static final int MAX_VALUE = 40;

  private final Parser parser;

  public AckReader() {
    this.parser = Hl7Context.inboundParser();
  }

  /** Parses once so the first real ACK does not pay HAPI's class loading (a few hundred ms). */
  public void warmUp() {
    try {
      read("MSH|^~\\&|A|B|C|D|20260101000000||ACK^A04^ACK|1|P|2.5.1\rMSA|AA|1\r");
    } catch (AckFormatException e) {
      throw new IllegalStateException("HAPI cannot read a plain ACK", e);
    }
  }

  public Ack read(String er7) throws AckFormatException {
    String text = er7.replace("\r\n", "\r").replace('\n', '\r');
    if (!RawHl7.looksLikeHl7(text)) {
      throw new AckFormatException("the answer is not an HL7 v2 message");
    }
    try {
      Message message = parser.parse(text);
      Terser t = new Terser(message);
      AckCode code = AckCode.parse(t.get("/MSA-1"));
      if (code == null) {
        throw new AckFormatException("MSA-1 is missing or not an acknowledgment code");
      }
      String controlId = nullToEmpty(t.get("/MSA-2"));
      String errCode = safe(t.get("/ERR-3-1"));
      String location = location(t.get("/ERR-2-1"), t.get("/ERR-2-2"), t.get("/ERR-2-3"), t.get("/ERR-2-4"),
          t.get("/ERR-2-5"), t.get("/ERR-2-6"));
      if (errCode.isEmpty()) { // v2.3-style ERR-1 (ELD): segment^sequence^field^code
        errCode = safe(t.get("/ERR-1-4-1"));
      }
      if (location.isEmpty()) {
        location = location(t.get("/ERR-1-1"), t.get("/ERR-1-2"), t.get("/ERR-1-3"));
      }
      return new Ack(code, controlId, errCode, location, safe(t.get("/ERR-4")));
    } catch (HL7Exception | RuntimeException e) {
      return readRaw(text);
    }
  }

  private static Ack readRaw(String text) throws AckFormatException {
    RawHl7 raw;
    try {
      raw = RawHl7.of(text);
    } catch (IllegalArgumentException e) {
      throw new AckFormatException("the answer is not an HL7 v2 message");
    }
    AckCode code = AckCode.parse(raw.field("MSA", 1));
    if (code == null) {
      throw new AckFormatException("no MSA segment with an acknowledgment code");
    }
    String err3 = raw.field("ERR", 3);
    int caret = err3.indexOf('^');
    String errCode = safe(caret >= 0 ? err3.substring(0, caret) : err3);
    return new Ack(code, raw.field("MSA", 2), errCode, safe(raw.field("ERR", 2)), safe(raw.field("ERR", 4)));
  }

  /** ERL (v2.5.1: segment^sequence^field^repetition^component^subcomponent) or ELD 1-3; positions only. */
  private static String location(String segment, String... positions) {
    if (segment == null || segment.isBlank()) {
      return "";
    }
    StringBuilder b = new StringBuilder(segment.trim());
    for (String part : positions) {
      if (part == null || part.isBlank()) {
        break;
      }
      b.append('^').append(part.trim());
    }
    return safe(b.toString());
  }

  private static String safe(String value) {
    if (value == null) {
      return "";
    }
    String s = SAFE.matcher(value.trim()).replaceAll("");
    return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
