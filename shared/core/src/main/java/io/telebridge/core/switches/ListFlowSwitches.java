package io.telebridge.core.switches;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Use case: every flow's switch of a tenant, read from the table (not the cache), unset flows as on. */
public final class ListFlowSwitches {

  private final FlowSwitches store;

  public ListFlowSwitches(FlowSwitches store) {
    this.store = store;
  }

  public List<FlowSwitch> list(String tenant) {
    Map<Flow, FlowSwitch> set = new EnumMap<>(Flow.class);
    for (FlowSwitch s : store.of(tenant)) {
      set.put(s.flow(), s);
    }
    List<FlowSwitch> out = new ArrayList<>();
    for (Flow f : Flow.values()) {
      out.add(set.getOrDefault(f, new FlowSwitch(tenant, f, FlowMode.ON, null, null)));
    }
    return out;
  }
}
