package io.telebridge.mllp.listener;

import io.telebridge.core.model.Identifier;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.hl7v2.Hl7Charsets;
import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.hl7v2.UnreadableMessageException;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.hl7.RawAckBuilder;
import io.telebridge.mllp.hl7.RawHl7;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * What the listener does with one frame from the EHR: decide, make durable, and say what to answer.
 *
 * <ol>
 *   <li>Decode with the project's one HL7 text layer ({@link Hl7Text}): the charset MSH-18 names, else
 *       the EHR profile's; strictly (bytes the charset cannot decode are refused, never turned into
 *       U+FFFD); LF and CRLF segment ends become CR.
 *   <li>Refuse (AR, ERR with a table 0357 code, and a copy with the reason in the quarantine queue):
 *       undecodable bytes or an unknown MSH-18, no MSH, no MSH-9, no MSH-10, characters a queue body cannot
 *       carry, and <b>every message the from-EHR translator could not read</b>: the decision is the
 *       translator's own reader ({@link FromEhrReader#read}), run here at the door — an unsupported version
 *       or message type (203 / 200 / 201), a required segment or field missing (an ORU without OBR, no
 *       PID-3, ...), a malformed time, a message HAPI's inbound configuration cannot parse. So an AA is
 *       never followed by the from-EHR DLQ; what the translator then does with an accepted message (deliver,
 *       or record an MRN no platform patient is linked to) is its documented routing.
 *   <li>Otherwise put it on the from-EHR FIFO queue (group = a hash of MSH-4 and the first PID-3 identifier
 *       the reader keeps, else {@code facility:<MSH-4>}; deduplication = SHA-256 hex of {@code <MSH-4>|<MSH-10>}) and
 *       answer AA — only after the queue accepted it.
 *   <li>When the queue (or the quarantine) write fails: {@link Close} — no ACK; the connection is
 *       closed and the EHR resends (Google's MLLP adapter does the same). When the queue refuses
 *       this very message ({@link io.telebridge.core.error.RejectedException}: too large for it,
 *       content it cannot carry), a resend would fail the same way: AR and quarantine instead.
 * </ol>
 *
 * <p>ACKs are built from the received MSH ({@link RawAckBuilder}) for every outcome, so they carry the
 * sender's separators, version and character set whether or not the message could be read.
 * Acknowledgment mode: original (AA/AR), except when MSH-15 (accept acknowledgment type) is
 * {@code AL}: then the answer is the commit-level CA/CR, which is what the listener's acceptance
 * means (stored, not yet processed). No application-level ACK follows later in either case.
 *
 * <p>Thread-safe (the reader is): one instance serves every connection.
 */
public final class AcceptInboundFrame {

  /** What to do on the connection. */
  public sealed interface Outcome permits Reply, Close {}

  /**
   * Write this ACK (already encoded in the message's charset).
   *
   * @param reason {@code accepted} or the quarantine reason
   * @param sendingFacility MSH-4 as read ({@code ""} when none), for the journal's tenant
   */
  public record Reply(byte[] ack, AckCode code, String controlId, String messageType, String reason,
      String sendingFacility) implements Outcome {
    public Reply(byte[] ack, AckCode code, String controlId, String messageType, String reason) {
      this(ack, code, controlId, messageType, reason, "");
    }
  }

  /** Send nothing and close the connection: the store did not take the message. */
  public record Close(String controlId, String reason) implements Outcome {}

  /** MessageGroupId: at most 128 characters of a-z, A-Z, 0-9 and punctuation. */
  private static final int MAX_GROUP_ID = 128;

  /** A synthetic message (no patient data) read at start, so the first real one does not pay HAPI's class loading. */
  static final String WARM_UP = "MSH|^~\\&|WARM|UP|TB|TB|20260101000000||ORU^R01^ORU_R01|W1|P|2.5.1\r"
      + "PID|1||W1^^^TB^MR||WARM^UP\rOBR|1||W1|1^W\rOBX|1|NM|1^W||1|||||F\r";

  private final InboundStore store;
  private final FromEhrReader reader;
  private final Charset defaultCharset;
  private final Clock clock;
  private final Supplier<String> ackControlIds;

  /**
   * @param reader the from-EHR translator's reader, configured as it is (the EHR profile's platform
   *     authority, the EHR's time zone)
   * @param defaultCharset the EHR profile's charset, for messages whose MSH-18 is empty
   */
  public AcceptInboundFrame(InboundStore store, FromEhrReader reader, Charset defaultCharset, Clock clock,
      Supplier<String> ackControlIds) {
    this.store = store;
    this.reader = reader;
    this.defaultCharset = defaultCharset;
    this.clock = clock;
    this.ackControlIds = ackControlIds;
  }

  /** Reads a small message once, so that the first real one does not pay HAPI's class loading. */
  public void warmUp() {
    try {
      reader.read(WARM_UP);
    } catch (UnreadableMessageException e) {
      throw new IllegalStateException("the reader cannot read a plain ORU^R01", e);
    }
  }

  /**
   * A frame started arriving on the calling thread (its first byte): the store may hold a batch open
   * for it a moment ({@link InboundStore#frameStarted}).
   */
  public void frameStarted() {
    store.frameStarted();
  }

  /** The calling thread's frame is handled (or lost): nobody waits for it any more. */
  public void frameEnded() {
    store.frameEnded();
  }

  /** The calling thread's connection closed. */
  public void connectionClosed() {
    store.connectionClosed();
  }

  /** One complete frame's payload. */
  public Outcome accept(byte[] frame) {
    Instant receivedAt = clock.instant();
    String text;
    Charset charset;
    try {
      charset = Hl7Text.charsetOf(frame, defaultCharset);
      text = Hl7Text.decode(frame, defaultCharset);
    } catch (UnreadableMessageException e) {
      return undecodable(frame, receivedAt, frame.length, false, e.reason(), error(e));
    }
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
    io.telebridge.core.fromehr.FromEhrMessage read;
    try {
      read = reader.read(text); // the translator's own reading: what it cannot read is refused here
    } catch (UnreadableMessageException e) {
      return refuse(text, charset, receivedAt, frame.length, false, e.reason(), error(e));
    } catch (RuntimeException | Error e) { // a StackOverflowError would recur on every resend: refuse it
      return refuse(text, charset, receivedAt, frame.length, false, UnreadableMessageException.UNPARSEABLE,
          RawAckBuilder.Error.of("207", "the message could not be read (" + e.getClass().getSimpleName() + ")"));
    }
    FromEhrMessage queued = new FromEhrMessage(text, groupId(firstIdentifier(read), facility),
        deduplicationId(facility, controlId), facility, controlId, messageType, receivedAt);
    try {
      store.enqueue(queued);
    } catch (io.telebridge.core.error.RejectedException e) {
      // the queue will never take this message (too large, characters it refuses): a resend would loop
      return refuse(text, charset, receivedAt, frame.length, false, "refused-by-queue",
          RawAckBuilder.Error.of("207", "the message cannot be stored: " + e.getMessage()));
    } catch (RuntimeException e) {
      return new Close(controlId, "from-EHR queue write failed (" + e.getClass().getSimpleName() + ")");
    }
    AckCode code = commitMode(raw) ? AckCode.CA : AckCode.AA;
    return new Reply(ack(text, code, null, charset), code, controlId, messageType, "accepted", facility);
  }

  /**
   * Bytes the charset cannot decode, or an MSH-18 naming no charset telebridge knows: AR with the reason,
   * and the bytes as received (base64) in the quarantine. The ACK is built from the MSH, which is ASCII.
   */
  private Outcome undecodable(byte[] frame, Instant receivedAt, long frameBytes, boolean truncated, String reason,
      RawAckBuilder.Error error) {
    store.frameEnded(); // refused: no batch of the from-EHR queue waits for this frame
    String head = Hl7Text.crSegmentEnds(new String(frame, StandardCharsets.ISO_8859_1)); // only MSH is used
    boolean hl7 = RawHl7.looksLikeHl7(head) && usable(head);
    RawHl7 raw = hl7 ? RawHl7.of(head) : null;
    String facility = raw == null ? "" : ascii(raw.msh(4).trim());
    String controlId = raw == null ? "" : ascii(raw.controlId().trim());
    String messageType = raw == null ? "" : ascii(raw.messageType());
    try {
      store.quarantine(new QuarantinedFrame(Base64.getEncoder().encodeToString(frame), reason, facility, controlId,
          receivedAt, frameBytes, truncated, true));
    } catch (RuntimeException down) {
      return new Close(controlId, "quarantine write failed (" + down.getClass().getSimpleName() + ") for " + reason);
    }
    AckCode code = raw != null && commitMode(raw) ? AckCode.CR : AckCode.AR;
    Charset ackCharset = StandardCharsets.US_ASCII;
    try {
      ackCharset = Hl7Charsets.forMsh18(raw == null ? null : raw.msh(18)).orElse(defaultCharset);
    } catch (IllegalArgumentException unknown) {
      // the ACK then goes in ASCII (its MSH echoes only what the sender wrote in ASCII)
    }
    String mshOnly = raw == null ? "" : raw.segments().get(0);
    return new Reply(ack(mshOnly, code, error, ackCharset), code, controlId, messageType, reason, facility);
  }

  /** Only printable ASCII of an MSH field read from undecoded bytes. */
  private static String ascii(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  static RawAckBuilder.Error error(UnreadableMessageException e) {
    String code = RawAckBuilder.TABLE_0357.containsKey(e.errorCode()) ? e.errorCode() : "207";
    return new RawAckBuilder.Error(code, e.segment(), e.segment().isEmpty() ? 0 : 1, e.field(), e.getMessage());
  }

  /** The first identifier of PID-3 that the reader kept (SSNs never are), or empty. */
  static String firstIdentifier(io.telebridge.core.fromehr.FromEhrMessage read) {
    var ids = read.patient().identifiers();
    Identifier first = ids.isEmpty() ? null : ids.get(0);
    return first == null || first.value() == null ? "" : first.value().trim();
  }

  /** A frame over the size limit: its head is quarantined (truncated) and AR answered. */
  public Outcome oversize(byte[] head, long frameBytes, int maxFrameBytes) {
    Instant receivedAt = clock.instant();
    RawAckBuilder.Error error = RawAckBuilder.Error.of("207",
        "frame of " + frameBytes + " bytes exceeds the maximum of " + maxFrameBytes + " bytes");
    Charset charset;
    String text;
    try {
      charset = Hl7Text.charsetOf(head, defaultCharset);
      text = Hl7Text.decode(head, defaultCharset);
    } catch (UnreadableMessageException e) { // e.g. the cut fell inside a multi-byte character: keep the bytes
      return undecodable(head, receivedAt, frameBytes, true, "frame-too-large", error);
    }
    return refuse(text, charset, receivedAt, frameBytes, true, "frame-too-large", error);
  }

  /**
   * A frame whose handling threw an {@link Error} outside the parse: refused like any frame that can
   * never be stored (AR, quarantined with reason {@code internal-error}), never left unanswered.
   */
  public Outcome failed(byte[] frame, Throwable error) {
    Instant receivedAt = clock.instant();
    RawAckBuilder.Error err = RawAckBuilder.Error.of("207",
        "the message could not be handled (" + error.getClass().getSimpleName() + ")");
    Charset charset;
    String text;
    try {
      charset = Hl7Text.charsetOf(frame, defaultCharset);
      text = Hl7Text.decode(frame, defaultCharset);
    } catch (UnreadableMessageException e) {
      return undecodable(frame, receivedAt, frame.length, false, "internal-error", err);
    }
    return refuse(text, charset, receivedAt, frame.length, false, "internal-error", err);
  }

  private Outcome refuse(String text, Charset charset, Instant receivedAt, long frameBytes, boolean truncated,
      String reason, RawAckBuilder.Error error) {
    store.frameEnded(); // refused: no batch of the from-EHR queue waits for this frame
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
    return new Reply(ack(hl7 ? text : "", code, error, charset), code, controlId, messageType, reason, facility);
  }

  private byte[] ack(String message, AckCode code, RawAckBuilder.Error error, Charset charset) {
    String ack = RawAckBuilder.build(message, code, error, ackControlIds.get(), clock.instant().atZone(clock.getZone()));
    try {
      return Hl7Text.encode(ack, charset);
    } catch (IllegalArgumentException | UnsupportedOperationException e) { // a charset that cannot carry the echoed MSH
      return Hl7Text.encode(ack, StandardCharsets.UTF_8);
    }
  }

  /** MSH-15 = AL asks for commit-level (enhanced mode) acknowledgments. */
  private static boolean commitMode(RawHl7 raw) {
    return raw.msh(15).trim().equalsIgnoreCase("AL");
  }

  private static boolean usable(String text) {
    char f = text.charAt(3);
    return f > ' ' && f < 127 && !Character.isLetterOrDigit(f);
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
}
