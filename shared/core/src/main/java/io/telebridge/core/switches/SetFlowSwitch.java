package io.telebridge.core.switches;

import java.lang.System.Logger.Level;
import java.time.Clock;

/**
 * Use case: switch one flow of one tenant, recording who and when on the switch itself. Every
 * container sees it within its cache's time ({@link CachedFlowSwitches#MAX_TTL}).
 */
public final class SetFlowSwitch {

  private static final System.Logger LOG = System.getLogger(SetFlowSwitch.class.getName());

  private final FlowSwitches store;
  private final Clock clock;

  public SetFlowSwitch(FlowSwitches store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public FlowSwitch set(String tenant, Flow flow, FlowMode mode, String by) {
    FlowSwitch s = new FlowSwitch(tenant, flow, mode, clock.instant(), by);
    store.set(s);
    LOG.log(Level.INFO, "flow switch tenant={0} flow={1} mode={2} by={3}", tenant, flow.wire(), mode.wire(), by);
    return s;
  }
}
