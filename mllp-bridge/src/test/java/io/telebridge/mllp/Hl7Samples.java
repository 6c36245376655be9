package io.telebridge.mllp;

/** Synthetic HL7 v2.5.1 messages (CR separators). All data is made up. */
public final class Hl7Samples {

  /** A patient name the tests look for in logs and DLQ attributes: it must never appear there. */
  public static final String FAMILY_NAME = "ZZTESTFAMILY";

  private Hl7Samples() {}

  public static String siuS12(String controlId, String patient) {
    return "MSH|^~\\&|TELEBRIDGE|TELEHEALTH|EHR|CLINIC|20260115093000-0500||SIU^S12^SIU_S12|" + controlId
        + "|P|2.5.1|||||USA|UNICODE UTF-8\r"
        + "SCH|APT-" + controlId + "^TELEBRIDGE||||||Follow-up^Follow-up visit|TELEHEALTH^Telehealth visit|30|min"
        + "|^^30^20260120140000-0500^20260120143000-0500\r"
        + "PID|1||" + patient + "^^^PLATFORM^PI||" + FAMILY_NAME + "^Jane^Q||19800101|F\r"
        + "PV1|1|O\r"
        + "RGS|1|A\r"
        + "AIP|1|A|1234567893^Clinician^Pat^^^^^^NPI\r";
  }

  public static String adtA04(String controlId, String patient) {
    return "MSH|^~\\&|TELEBRIDGE|TELEHEALTH|EHR|CLINIC|20260115093000-0500||ADT^A04^ADT_A01|" + controlId
        + "|P|2.5.1\r"
        + "EVN|A04|20260115093000-0500\r"
        + "PID|1||" + patient + "^^^PLATFORM^PI||" + FAMILY_NAME + "^Jane^Q||19800101|F\r"
        + "PV1|1|O\r";
  }
}
