package io.telebridge.hl7v2;

import io.telebridge.core.error.RejectedException;

/**
 * A message from the EHR that cannot be read as it stands: bytes its character set cannot decode, not
 * HL7 v2, a version or message type the return path does not carry, a required part missing (PID-3,
 * OBR, SCH ids, MRG-1). Rejected (never retried as is). The listener answers it at the door (AR with an
 * ERR built from {@link #errorCode()}, {@link #segment()}, {@link #field()} and this message, and a
 * quarantine copy with {@link #reason()}); the from-EHR translator dead-letters it with this message.
 * The message names MSH-10, the type and HL7 locations, never patient data.
 */
public final class UnreadableMessageException extends RejectedException {

  private static final long serialVersionUID = 1L;

  /** Quarantine reasons (fixed codes, never content). */
  public static final String UNDECODABLE = "undecodable";
  public static final String UNKNOWN_CHARSET = "unknown-charset";
  public static final String NOT_HL7 = "no-msh";
  public static final String UNPARSEABLE = "unparseable";
  public static final String UNSUPPORTED_VERSION = "unsupported-version";
  public static final String UNSUPPORTED_TYPE = "unsupported-message-type";
  public static final String UNTRANSLATABLE = "untranslatable";

  private final String reason;
  private final String errorCode;
  private final String segment;
  private final int field;

  /**
   * @param reason one of the constants above
   * @param errorCode HL7 table 0357 code ({@code 100} segment sequence, {@code 101} required field
   *     missing, {@code 102} data type, {@code 103} table value not found, {@code 200} unsupported message
   *     type, {@code 201} unsupported event code, {@code 203} unsupported version id)
   * @param segment segment of the location, or empty
   * @param field field of the location, 0 when none
   */
  public UnreadableMessageException(String reason, String errorCode, String segment, int field, String message) {
    super(message);
    this.reason = reason;
    this.errorCode = errorCode;
    this.segment = segment == null ? "" : segment;
    this.field = field;
  }

  /** Content the translator cannot carry, without a more precise location: 101 required field missing. */
  public UnreadableMessageException(String message) {
    this(UNTRANSLATABLE, "101", "", 0, message);
  }

  public String reason() {
    return reason;
  }

  public String errorCode() {
    return errorCode;
  }

  public String segment() {
    return segment;
  }

  public int field() {
    return field;
  }
}
