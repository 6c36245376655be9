package io.telebridge.core.switches;

import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.Stage;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Where a stage asks its flow's switch before it sends: {@code ON} sends; {@code OFF} journals
 * {@code switched-off} and sends nothing; {@code SHADOW} keeps the message in the shadow store (a
 * failure there fails the message, to be retried: nothing held back is lost), journals {@code
 * shadowed} and sends nothing. The step of a held-back message waits nowhere: its trace is done.
 * Also keeps what the EHR sends back for a flow in shadow ({@link #observed}), the other side of the
 * comparison. Logs ids only.
 */
public final class FlowGate {

  public static final String SHADOWED = "shadowed";
  public static final String SWITCHED_OFF = "switched-off";

  private static final System.Logger LOG = System.getLogger(FlowGate.class.getName());

  private final CachedFlowSwitches switches;
  private final ShadowStore shadows;
  private final Journal journal;
  private final Clock clock;

  public FlowGate(CachedFlowSwitches switches, ShadowStore shadows, Journal journal, Clock clock) {
    this.switches = switches;
    this.shadows = shadows;
    this.journal = journal;
    this.clock = clock;
  }

  /** Every flow on: sends everything, reads nothing. */
  public static FlowGate allOn() {
    return new FlowGate(CachedFlowSwitches.allOn(), ShadowStore.NONE, Journal.NONE, Clock.systemUTC());
  }

  /** The mode of a flow for the tenant (on for null: what no flow names). */
  public FlowMode mode(String tenant, Flow flow) {
    return flow == null ? FlowMode.ON : switches.mode(tenant, flow);
  }

  /** The mode of the flow of this HL7 message type for the tenant (on for a type no flow sends). */
  public FlowMode modeOfHl7(String tenant, String messageType) {
    return switches.mode(tenant, Flow.ofHl7(messageType));
  }

  /**
   * To the EHR: may this HL7 message go on the to-EHR queue?
   *
   * @return true to send it; false when it was held back (off or shadow), journaled and, in shadow, kept
   */
  public boolean toEhr(String tenant, String controlId, String messageType, String payload) {
    Flow flow = Flow.ofHl7(messageType);
    return pass(tenant, flow, JournalEntry.HL7 + controlId, controlId, messageType, () -> payload,
        Stage.TO_EHR_TRANSLATOR, null, null);
  }

  /** To the platform: may this event go on the to-platform queue? As {@link #toEhr}. */
  public boolean toPlatform(String tenant, String eventId, String eventType, Supplier<String> body) {
    Flow flow = Flow.ofPlatformEvent(eventType);
    return pass(tenant, flow, JournalEntry.EVENT + eventId, eventId, eventType, body, Stage.FROM_EHR_TRANSLATOR, null,
        null);
  }

  /**
   * To the platform from another stage (the context function): as {@link #toPlatform(String, String, String,
   * Supplier)}, the journal entry of a held-back event naming its appointment and platform patient (a trace finds it).
   */
  public boolean toPlatform(String tenant, String eventId, String eventType, Supplier<String> body, Stage stage,
      String appointmentId, String platformPatientId) {
    return pass(tenant, Flow.ofPlatformEvent(eventType), JournalEntry.EVENT + eventId, eventId, eventType, body, stage,
        appointmentId, platformPatientId);
  }

  /**
   * Before work that exists only to be sent (a context pull): true when the flow is off for the tenant, the
   * request then journaled as {@code switched-off} (subject {@code event:<requestId>}, with the appointment
   * and platform patient ids so a trace finds it) and nothing else to be done.
   */
  public boolean switchedOff(String tenant, Flow flow, Stage stage, String requestId, String type, String appointmentId,
      String platformPatientId) {
    if (switches.mode(tenant, flow) != FlowMode.OFF) {
      return false;
    }
    journal.record(JournalEntry.event(tenant, requestId, stage, SWITCHED_OFF, clock.instant()).type(type)
        .about(appointmentId, platformPatientId));
    LOG.log(Level.INFO, "flow {0} is off for tenant={1}: {2} {3} not run", flow.wire(), tenant, type, requestId);
    return true;
  }

  /**
   * What the EHR sent over the listener (a booking keyed by staff): kept when the to-EHR flow of its
   * message type is in shadow for the tenant, for the comparison. Nothing else happens to it here.
   *
   * @return true when it was kept
   */
  public boolean observed(String tenant, String controlId, String messageType, String hl7) {
    Flow flow = Flow.ofHl7(messageType);
    if (flow == null || controlId == null || switches.mode(tenant, flow) != FlowMode.SHADOW) {
      return false;
    }
    shadows.keep(new ShadowMessage(tenant, ShadowMessage.Side.EHR, flow, messageType, controlId, clock.instant(), hl7));
    LOG.log(Level.INFO, "shadow: kept the EHR''s {0} controlId={1} tenant={2} flow={3}", messageType, controlId, tenant,
        flow.wire());
    return true;
  }

  private boolean pass(String tenant, Flow flow, String subject, String id, String type, Supplier<String> body,
      Stage stage, String appointmentId, String platformPatientId) {
    FlowMode mode = switches.mode(tenant, flow);
    if (mode == FlowMode.ON) {
      return true;
    }
    Instant now = clock.instant();
    if (mode == FlowMode.SHADOW) {
      shadows.keep(new ShadowMessage(tenant, ShadowMessage.Side.TELEBRIDGE, flow, type, id, now, body.get()));
    }
    String outcome = mode == FlowMode.SHADOW ? SHADOWED : SWITCHED_OFF;
    journal.record(new JournalEntry(tenant, subject, stage.wire(), type, outcome, 0, null, null, now,
        java.util.List.of(), null, appointmentId, platformPatientId, null));
    LOG.log(Level.INFO, "flow {0} is {1} for tenant={2}: {3} {4} not sent", flow.wire(), mode.wire(), tenant, type, id);
    return false;
  }
}
