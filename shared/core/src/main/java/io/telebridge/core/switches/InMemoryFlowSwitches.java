package io.telebridge.core.switches;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The switch table in memory (unit tests); counts reads, to show the cache. */
public final class InMemoryFlowSwitches implements FlowSwitches {

  private final Map<String, FlowSwitch> switches = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();

  @Override
  public List<FlowSwitch> of(String tenant) {
    reads.incrementAndGet();
    return switches.values().stream().filter(s -> s.tenant().equals(tenant)).toList();
  }

  @Override
  public void set(FlowSwitch s) {
    switches.put(s.tenant() + "|" + s.flow().wire(), s);
  }

  public int reads() {
    return reads.get();
  }
}
