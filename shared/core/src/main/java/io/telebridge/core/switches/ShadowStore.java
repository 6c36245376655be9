package io.telebridge.core.switches;

import java.time.Instant;
import java.util.List;

/**
 * Port: the shadow store (DynamoDB in AWS: encrypted, TTL). Keyed by tenant, side and day, so a
 * report reads one tenant's days only.
 *
 * @throws io.telebridge.core.error.TransientException when the store is unavailable
 */
public interface ShadowStore {

  /** Keeps one message; keeping the same (tenant, side, id) again the same day replaces it. */
  void keep(ShadowMessage message);

  /** The tenant's messages of one side kept from {@code since} to {@code until}, oldest first. */
  List<ShadowMessage> kept(String tenant, ShadowMessage.Side side, Instant since, Instant until);

  ShadowStore NONE = new ShadowStore() {
    @Override
    public void keep(ShadowMessage message) {
      throw new UnsupportedOperationException("a flow is in shadow but this stage has no SHADOW_TABLE");
    }

    @Override
    public List<ShadowMessage> kept(String tenant, ShadowMessage.Side side, Instant since, Instant until) {
      return List.of();
    }
  };
}
