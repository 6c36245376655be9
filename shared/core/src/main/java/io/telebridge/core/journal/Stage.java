package io.telebridge.core.journal;

/** The stages that record into the journal, in the order a message meets them. */
public enum Stage {
  INTAKE("intake"),
  TO_EHR_TRANSLATOR("to-ehr-translator"),
  MLLP_SENDER("mllp-sender"),
  MLLP_LISTENER("mllp-listener"),
  FROM_EHR_TRANSLATOR("from-ehr-translator"),
  PLATFORM_DELIVERY("platform-delivery"),
  /** The context function: a pull held back by the context flow's switch (off, shadow). */
  CONTEXT("context"),
  REPLAY("replay"),
  /** An operator switched a flow (the audit record of {@code SetFlowSwitch}: subject {@code flow:<flow>}). */
  FLOW_SWITCH("flow-switch");

  private final String wire;

  Stage(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
