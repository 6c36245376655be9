package io.telebridge.core.switches;

import java.util.List;

/**
 * Port: the switches, in a table (DynamoDB in AWS), read through {@link CachedFlowSwitches}. Every key
 * carries the tenant.
 *
 * @throws io.telebridge.core.error.TransientException when the store is unavailable
 */
public interface FlowSwitches {

  /** The switches set for the tenant (flows not listed are on). */
  List<FlowSwitch> of(String tenant);

  void set(FlowSwitch flowSwitch);
}
