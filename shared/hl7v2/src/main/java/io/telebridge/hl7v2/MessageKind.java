package io.telebridge.hl7v2;

/**
 * The HL7 v2.5.1 messages this module builds: MSH-9 code, trigger and the HAPI structure (HAPI's
 * v2.5.1 event map: MDM T02/T08/T10 share MDM_T02, T11 is MDM_T01 without content).
 */
public enum MessageKind {
  ADT_A04("ADT", "A04", "ADT_A01"),
  ADT_A08("ADT", "A08", "ADT_A01"),
  ADT_A28("ADT", "A28", "ADT_A05"),
  ADT_A31("ADT", "A31", "ADT_A05"),
  SIU_S12("SIU", "S12", "SIU_S12"),
  SIU_S13("SIU", "S13", "SIU_S12"),
  SIU_S14("SIU", "S14", "SIU_S12"),
  SIU_S15("SIU", "S15", "SIU_S12"),
  SIU_S26("SIU", "S26", "SIU_S12"),
  MDM_T02("MDM", "T02", "MDM_T02"),
  MDM_T08("MDM", "T08", "MDM_T02"),
  MDM_T10("MDM", "T10", "MDM_T02"),
  MDM_T11("MDM", "T11", "MDM_T01"),
  ORM_O01("ORM", "O01", "ORM_O01"),
  OML_O21("OML", "O21", "OML_O21"),
  DFT_P03("DFT", "P03", "DFT_P03");

  private final String code;
  private final String trigger;
  private final String structure;

  MessageKind(String code, String trigger, String structure) {
    this.code = code;
    this.trigger = trigger;
    this.structure = structure;
  }

  /** MSH-9.1, e.g. {@code SIU}. */
  public String code() {
    return code;
  }

  /** MSH-9.2, e.g. {@code S12}. */
  public String trigger() {
    return trigger;
  }

  /** MSH-9.3, the message structure, e.g. {@code SIU_S12} (S13..S26 share it; A04/A08 use ADT_A01). */
  public String structure() {
    return structure;
  }

  /** Code and trigger as {@link OutboundHl7#messageType()} shows them, e.g. {@code SIU^S12}. */
  public String messageType() {
    return code + "^" + trigger;
  }
}
