package io.telebridge.core.switches;

import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.Stage;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Use case: switch one flow of one tenant (the ops API's {@code PUT /v1/flows/{tenant}/{flow}}, which
 * {@code ./tb flows set} calls, and the console's Flows page). Records who and when on the switch itself,
 * and an audit record in the journal: stage {@code flow-switch}, subject {@code flow:<flow>}, outcome
 * {@code <from>-><to>} (e.g. {@code on->shadow}), {@code by} the verified caller. The audit record is
 * written before the switch and is not guarded: no record, no change (as {@code ReplayMessage}). Every
 * container sees the change within its cache's time ({@link CachedFlowSwitches#MAX_TTL}).
 */
public final class SetFlowSwitch {

  /** The journal subject prefix of a flow's audit records: {@code flow:scheduling}. */
  public static final String SUBJECT = "flow:";

  private static final System.Logger LOG = System.getLogger(SetFlowSwitch.class.getName());

  /** What was changed: the switch as it is now, and the mode it had before. */
  public record Changed(FlowSwitch now, FlowMode from) {}

  private final FlowSwitches store;
  private final Journal audit;
  private final Clock clock;

  /**
   * @param audit where the audit record goes, written strictly (a failure fails the change)
   */
  public SetFlowSwitch(FlowSwitches store, Journal audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  public Changed set(String tenant, Flow flow, FlowMode mode, String by) {
    FlowMode from = FlowMode.ON;
    for (FlowSwitch s : store.of(tenant)) {
      if (s.flow() == flow) {
        from = s.mode();
      }
    }
    Instant now = clock.instant();
    audit.record(new JournalEntry(tenant, SUBJECT + flow.wire(), Stage.FLOW_SWITCH.wire(), flow.wire(),
        from.wire() + "->" + mode.wire(), 0, null, null, now, List.of(), null, null, null, by));
    FlowSwitch s = new FlowSwitch(tenant, flow, mode, now, by);
    store.set(s);
    LOG.log(Level.INFO, "flow switch tenant={0} flow={1} {2}->{3} by={4}", tenant, flow.wire(), from.wire(), mode.wire(),
        by);
    return new Changed(s, from);
  }
}
