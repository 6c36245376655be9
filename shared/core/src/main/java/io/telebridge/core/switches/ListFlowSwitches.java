package io.telebridge.core.switches;

import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.JournalReader;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Use case: every flow's switch of a tenant, read from the table (not the cache), unset flows as on; and a
 * flow's changes (who, when, from→to) from the journal's audit records ({@link SetFlowSwitch}).
 */
public final class ListFlowSwitches {

  private final FlowSwitches store;
  private final JournalReader audit; // null: no journal, no history

  public ListFlowSwitches(FlowSwitches store) {
    this(store, null);
  }

  public ListFlowSwitches(FlowSwitches store, JournalReader audit) {
    this.store = store;
    this.audit = audit;
  }

  /** The flow's audit records of the tenant, newest first (empty without a journal, or past its retention). */
  public List<JournalEntry> history(String tenant, Flow flow) {
    if (audit == null) {
      return List.of();
    }
    List<JournalEntry> out = new ArrayList<>(audit.entries(tenant, SetFlowSwitch.SUBJECT + flow.wire()));
    java.util.Collections.reverse(out);
    return out;
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
