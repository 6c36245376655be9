package io.telebridge.core.switches;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The switches as a stage reads them: one read of the tenant's switches per {@code ttl} (at most 60 s,
 * so a change reaches every container within a minute, without a deploy), cached per tenant. A flow
 * nobody set is {@link FlowMode#ON}. When the store cannot be read and nothing is cached the read
 * fails ({@code TransientException}: the message is retried), so an outage never sends what a
 * shadow or off switch holds back; a stale cached value is used rather than failing.
 */
public final class CachedFlowSwitches {

  public static final Duration MAX_TTL = Duration.ofSeconds(60);

  private final FlowSwitches store;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Map<Flow, FlowMode> modes, Instant readAt) {}

  public CachedFlowSwitches(FlowSwitches store, Duration ttl, Clock clock) {
    if (ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("the switch cache keeps at most 60 s (FLOW_SWITCH_CACHE_SECONDS 0..60)");
    }
    this.store = store;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Every flow on, nothing read (a stage deployed without the switch table). */
  public static CachedFlowSwitches allOn() {
    return new CachedFlowSwitches(new FlowSwitches() {
      @Override
      public java.util.List<FlowSwitch> of(String tenant) {
        return java.util.List.of();
      }

      @Override
      public void set(FlowSwitch s) {
        throw new UnsupportedOperationException("no switch table");
      }
    }, MAX_TTL, Clock.systemUTC());
  }

  public FlowMode mode(String tenant, Flow flow) {
    if (flow == null) {
      return FlowMode.ON;
    }
    Instant now = clock.instant();
    Cached c = cache.get(tenant);
    if (c == null || !now.isBefore(c.readAt().plus(ttl))) {
      try {
        Map<Flow, FlowMode> modes = new EnumMap<>(Flow.class);
        for (FlowSwitch s : store.of(tenant)) {
          modes.put(s.flow(), s.mode());
        }
        c = new Cached(modes, now);
        cache.put(tenant, c);
      } catch (RuntimeException e) {
        if (c == null) {
          throw e;
        }
      }
    }
    return c.modes().getOrDefault(flow, FlowMode.ON);
  }
}
