package io.telebridge.core.switches;

import java.time.Instant;

/**
 * One flow's switch of one tenant (each tenant has one EHR profile, so a tenant's switch is also its
 * profile's). No PHI.
 *
 * @param updatedAt when it was last set, or null for a flow never set (on by default)
 * @param updatedBy who set it (the verified caller), or null
 */
public record FlowSwitch(String tenant, Flow flow, FlowMode mode, Instant updatedAt, String updatedBy) {}
