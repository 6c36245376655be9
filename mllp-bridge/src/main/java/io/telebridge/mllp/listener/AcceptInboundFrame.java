package io.telebridge.mllp.listener;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.hl7.Hl7Charsets;
import io.telebridge.mllp.hl7.RawAckBuilder;
import io.telebridge.mllp.hl7.RawHl7;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the listener does with one frame from the EHR: decide, make durable, and say what to answer.
 *
 * <ol>
 *   <li>Decode with the charset MSH-18 names (else the configured default); LF and CRLF segment ends
 *       become CR.
 *   <li>Refuse (AR, ERR with a table 0357 code, and a copy with the reason in the quarantine queue):
 *       no MSH, no MSH-9, no MSH-10, characters a queue body cannot carry, a message the project's
 *       HAPI context ({@link io.telebridge.hl7v2.Hl7Context}) cannot parse, an oversize frame.
 *   <li>Otherwise put it on the from-EHR FIFO queue (group = a hash of MSH-4 and the first PID-3 CX.1, else
 *       {@code facility:<MSH-4>}; deduplication = SHA-256 hex of {@code <MSH-4>|<MSH-10>}) and answer
 *       AA — only after the queue accepted it.
 *   <li>When the queue (or the quarantine) write fails: {@link Close} — no ACK; the connection is
 *       closed and the EHR resends (Google's MLLP adapter does the same). When the queue refuses
 *       this very message ({@link io.telebridge.core.error.RejectedException}: too large for it,
 *       content it cannot carry), a resend would fail the same way: AR and quarantine instead.
 * </ol>
 *
 * <p>ACKs are built from the received MSH ({@link RawAckBuilder}) for every outcome, so they carry the
 * sender's separators, version and character set whether or not HAPI could parse the message.
 * Acknowledgment mode: original (AA/AR), except when MSH-15 (accept acknowledgment type) is
 * {@code AL}: then the answer is the commit-level CA/CR, which is what the listener's acceptance
 * means (stored, not yet processed). No application-level ACK follows later in either case.
 *
 * <p>Thread-safe (the HAPI pipe parser is): one instance serves every connection.
 */
public final class AcceptInboundFrame {

  /** What to do on the connection. */
  public sealed interface Outcome permits Reply, Close {}

  /**
   * Write this ACK (already encoded in the message's charset).
   *
   * @param reason {@code accepted} or the quarantine reason
   */
  public record Reply(byte[] ack, AckCode code, String controlId, String messageType, String reason) implements Outcome {}

  /** Send nothing and close the connection: the store did not take the message. */
  public record Close(String controlId, String reason) implements Outcome {}

  /** MessageGroupId: at most 128 characters of a-z, A-Z, 0-9 and punctuation. */
  private static final int MAX_GROUP_ID = 128;

  private final InboundStore store;
  private final PipeParser parser;
  private final Charset defaultCharset;
  private final Clock clock;
  private final Supplier<String> ackControlIds;

  public AcceptInboundFrame(InboundStore store, PipeParser parser, Charset defaultCharset, Clock clock,
      Supplier<String> ackControlIds) {
    this.store = store;
    this.parser = parser;
    this.defaultCharset = defaultCharset;
    this.clock = clock;
    this.ackControlIds = ackControlIds;
  }

  /** Parses a small message once, so that the first real one does not pay HAPI's class loading. */
  public void warmUp() {
    try {
      parser.parse("MSH|^~\\&|WARM|UP|TB|TB|20260101000000||ORU^R01^ORU_R01|W1|P|2.5.1\r"
          + "PID|1||W1^^^TB^MR||WARM^UP\rOBR|1||W1|1^W\rOBX|1|NM|1^W||1|||||F\r");
    } catch (HL7Exception e) {
      throw new IllegalStateException("HAPI cannot parse a plain ORU^R01", e);
    }
  }

  /** One complete frame's payload. */
  public Outcome accept(byte[] frame) {
    Instant receivedAt = clock.instant();
    Charset charset = Hl7Charsets.detect(frame, defaultCharset);
    String text = normalise(new String(frame, charset));
    if (!RawHl7.looksLikeHl7(text) || !usable(text)) {
      return refuse(text, charset, receivedAt, frame.length, false, "no-msh",
          RawAckBuilder.Error.at("100", "MSH", 0, "the first segment is not an MSH segment"));
    }
    RawHl7 raw = RawHl7.of(text);
    String facility = raw.msh(4).trim();
    String controlId = raw.controlId().trim();
    String messageType = raw.messageType();
    if (raw.msh(9).isBlank() || messageType.isEmpty()) {
      return refuse(text, charset, receivedAt, frame.length, false, "missing-msh-9",
          RawAckBuilder.Error.at("101", "MSH", 9, "MSH-9 (message type) is empty"));
    }
    if (controlId.isEmpty()) {
      return refuse(text, charset, receivedAt, frame.length, false, "missing-msh-10",
          RawAckBuilder.Error.at("101", "MSH", 10, "MSH-10 (message control id) is empty"));
    }
    if (!SqsInboundStore.bodySafe(text)) {
      return refuse(text, charset, receivedAt, frame.length, false, "control-characters",
          RawAckBuilder.Error.of("102", "the message holds control characters that are not allowed"));
    }
    Message parsed;
    try {
      parsed = parser.parse(text);
    } catch (HL7Exception e) {
      return refuse(text, charset, receivedAt, frame.length, false, "unparseable", parseError(e));
    } catch (RuntimeException e) {
      return refuse(text, charset, receivedAt, frame.length, false, "unparseable",
          RawAckBuilder.Error.of("207", "the message could not be parsed (" + e.getClass().getSimpleName() + ")"));
    }
    String mrn = mrn(parsed, raw);
    FromEhrMessage message = new FromEhrMessage(text, groupId(mrn, facility), deduplicationId(facility, controlId),
        facility, controlId, messageType, receivedAt);
    try {
      store.enqueue(message);
    } catch (io.telebridge.core.error.RejectedException e) {
      // the queue will never take this message (too large, characters it refuses): a resend would loop
      return refuse(text, charset, receivedAt, frame.length, false, "refused-by-queue",
          RawAckBuilder.Error.of("207", "the message cannot be stored: " + e.getMessage()));
    } catch (RuntimeException e) {
      return new Close(controlId, "from-EHR queue write failed (" + e.getClass().getSimpleName() + ")");
    }
    AckCode code = commitMode(raw) ? AckCode.CA : AckCode.AA;
    return new Reply(ack(text, code, null, charset), code, controlId, messageType, "accepted");
  }

  /** A frame over the size limit: its head is quarantined (truncated) and AR answered. */
  public Outcome oversize(byte[] head, long frameBytes, int maxFrameBytes) {
    Instant receivedAt = clock.instant();
    Charset charset = Hl7Charsets.detect(head, defaultCharset);
    String text = normalise(new String(head, charset));
    return refuse(text, charset, receivedAt, frameBytes, true, "frame-too-large",
        RawAckBuilder.Error.of("207", "frame of " + frameBytes + " bytes exceeds the maximum of " + maxFrameBytes + " bytes"));
  }

  private Outcome refuse(String text, Charset charset, Instant receivedAt, long frameBytes, boolean truncated,
      String reason, RawAckBuilder.Error error) {
    boolean hl7 = RawHl7.looksLikeHl7(text) && usable(text);
    RawHl7 raw = hl7 ? RawHl7.of(text) : null;
    String facility = raw == null ? "" : raw.msh(4).trim();
    String controlId = raw == null ? "" : raw.controlId().trim();
    String messageType = raw == null ? "" : raw.messageType();
    try {
      store.quarantine(new QuarantinedFrame(text, reason, facility, controlId, receivedAt, frameBytes, truncated));
    } catch (RuntimeException e) {
      return new Close(controlId, "quarantine write failed (" + e.getClass().getSimpleName() + ") for " + reason);
    }
    AckCode code = raw != null && commitMode(raw) ? AckCode.CR : AckCode.AR;
    return new Reply(ack(hl7 ? text : "", code, error, charset), code, controlId, messageType, reason);
  }

  private byte[] ack(String message, AckCode code, RawAckBuilder.Error error, Charset charset) {
    String ack = RawAckBuilder.build(message, code, error, ackControlIds.get(), clock.instant().atZone(clock.getZone()));
    return ack.getBytes(charset.canEncode() ? charset : StandardCharsets.UTF_8);
  }

  /** MSH-15 = AL asks for commit-level (enhanced mode) acknowledgments. */
  private static boolean commitMode(RawHl7 raw) {
    return raw.msh(15).trim().equalsIgnoreCase("AL");
  }

  private static boolean usable(String text) {
    char f = text.charAt(3);
    return f > ' ' && f < 127 && !Character.isLetterOrDigit(f);
  }

  /** The parse error's code (table 0357) and location; HAPI's message is not used (it may quote field values). */
  static RawAckBuilder.Error parseError(HL7Exception e) {
    int code = e.getErrorCode();
    String c = RawAckBuilder.TABLE_0357.containsKey(Integer.toString(code)) && code != 0 ? Integer.toString(code) : "102";
    Location l = e.getLocation();
    String segment = l == null || l.getSegmentName() == null ? "" : l.getSegmentName().replaceAll("[^A-Z0-9]", "");
    int field = l == null ? 0 : Math.max(0, l.getField());
    String where = segment.isEmpty() ? "" : " at " + segment + (field > 0 ? "-" + field : "");
    return new RawAckBuilder.Error(c, segment, segment.isEmpty() ? 0 : Math.max(1, l.getSegmentRepetition()), field,
        "the message does not parse as HL7 v2" + where + " (" + RawAckBuilder.TABLE_0357.getOrDefault(c, "error") + ")");
  }

  /** The patient's MRN: the first PID-3 CX.1 (HAPI, unescaped), else from the raw text; empty when there is none. */
  static String mrn(Message parsed, RawHl7 raw) {
    try {
      String v = new Terser(parsed).get("/.PID-3(0)-1");
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    } catch (HL7Exception | RuntimeException e) {
      // no PID in this structure: try the raw segments
    }
    List<String> ids = raw.patientIds();
    return ids.isEmpty() ? "" : ids.get(0).trim();
  }

  /**
   * MessageGroupId: {@code mrn#} and 40 hex digits of SHA-256 over the sending facility and the MRN
   * (never the MRN itself: a group id shows in consoles, DLQ tools and logs), else
   * {@code facility:<MSH-4>}. The sending facility is the EHR connection, which the tenant directory
   * maps to exactly one tenant, so the group is one patient of one tenant: two tenants' charts with the
   * same MRN value never share a group. Characters SQS does not allow in a group id become {@code _};
   * longer than 128 characters: a prefix and a hash (still one group per value).
   */
  static String groupId(String mrn, String facility) {
    String id = mrn.isEmpty() ? "facility:" + facility
        : "mrn#" + io.telebridge.core.model.TenantKeys.sha256(facility, mrn).substring(0, 40);
    StringBuilder b = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      b.append(c > ' ' && c < 127 ? c : '_');
    }
    String out = b.toString();
    if (out.length() > MAX_GROUP_ID) {
      String hash = sha256(id).substring(0, 32);
      out = out.substring(0, MAX_GROUP_ID - 33) + "#" + hash;
    }
    return out;
  }

  /** SHA-256 hex of {@code <sending facility>|<MSH-10>}: the same message resent is stored once. */
  public static String deduplicationId(String facility, String controlId) {
    return sha256(facility + "|" + controlId);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** CRLF and LF become CR; line ends and a byte-order mark before MSH are dropped. */
  static String normalise(String text) {
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

}
