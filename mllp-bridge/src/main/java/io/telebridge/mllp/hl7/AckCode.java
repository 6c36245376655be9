package io.telebridge.mllp.hl7;

/** MSA-1 (HL7 table 0008). AA/AE/AR: original mode; CA/CE/CR: enhanced mode, commit level. */
public enum AckCode {
  AA, AE, AR, CA, CE, CR;

  /** AA or CA: the receiver took responsibility for the message. */
  public boolean accepted() {
    return this == AA || this == CA;
  }

  /** The code for a MSA-1 value, or null if it is none of the six. */
  public static AckCode parse(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.trim()) {
      case "AA" -> AA;
      case "AE" -> AE;
      case "AR" -> AR;
      case "CA" -> CA;
      case "CE" -> CE;
      case "CR" -> CR;
      default -> null;
    };
  }
}
