package io.telebridge.aws;

import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.switches.CachedFlowSwitches;
import io.telebridge.core.switches.FlowGate;
import io.telebridge.core.switches.FlowSwitches;
import io.telebridge.core.switches.ShadowStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The flow switches and the shadow store a stage uses, read once from the environment at cold start:
 *
 * <pre>
 *   FLOW_SWITCHES_TABLE        the switch table; unset: every flow is on (nothing read)
 *   FLOW_SWITCH_CACHE_SECONDS  how long a container keeps a tenant's switches, 0..60 (default 60)
 *   SHADOW_TABLE               where a flow in shadow keeps what it would send (and the EHR's messages to compare)
 *   SHADOW_RETENTION_DAYS      the TTL of a kept message, default 30
 * </pre>
 */
public record FlowSwitchSettings(String table, Duration cacheTtl, String shadowTable, Duration retention) {

  public static FlowSwitchSettings fromEnvironment(Map<String, String> env) {
    return new FlowSwitchSettings(blankToNull(env.get("FLOW_SWITCHES_TABLE")),
        Duration.ofSeconds(bounded(env.get("FLOW_SWITCH_CACHE_SECONDS"), 60, 0, 60, "FLOW_SWITCH_CACHE_SECONDS")),
        blankToNull(env.get("SHADOW_TABLE")),
        Duration.ofDays(bounded(env.get("SHADOW_RETENTION_DAYS"), 30, 1, 3650, "SHADOW_RETENTION_DAYS")));
  }

  /** No table: every flow on. */
  public static FlowSwitchSettings none() {
    return new FlowSwitchSettings(null, CachedFlowSwitches.MAX_TTL, null, Duration.ofDays(30));
  }

  public FlowSwitches switches(DynamoDb dynamo) {
    if (table == null) {
      throw new IllegalStateException("FLOW_SWITCHES_TABLE is required");
    }
    return new DynamoDbFlowSwitches(dynamo, table);
  }

  public ShadowStore shadows(DynamoDb dynamo) {
    return shadowTable == null ? ShadowStore.NONE : new DynamoDbShadowStore(dynamo, shadowTable, retention);
  }

  /** The stage's gate: every flow on without a table. */
  public FlowGate gate(DynamoDb dynamo, Journal journal, Clock clock) {
    if (table == null) {
      return FlowGate.allOn();
    }
    return new FlowGate(new CachedFlowSwitches(switches(dynamo), cacheTtl, clock), shadows(dynamo), journal, clock);
  }

  private static long bounded(String value, long dflt, long min, long max, String name) {
    if (value == null || value.isBlank()) {
      return dflt;
    }
    long v;
    try {
      v = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number " + min + ".." + max);
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max);
    }
    return v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
