package io.telebridge.core.switches;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The shadow store in memory (unit tests). */
public final class InMemoryShadowStore implements ShadowStore {

  private final List<ShadowMessage> messages = new CopyOnWriteArrayList<>();

  @Override
  public void keep(ShadowMessage message) {
    messages.removeIf(m -> m.tenant().equals(message.tenant()) && m.side() == message.side()
        && m.id().equals(message.id()));
    messages.add(message);
  }

  @Override
  public List<ShadowMessage> kept(String tenant, ShadowMessage.Side side, Instant since, Instant until) {
    return messages.stream().filter(m -> m.tenant().equals(tenant) && m.side() == side && !m.at().isBefore(since)
        && !m.at().isAfter(until)).sorted(Comparator.comparing(ShadowMessage::at)).toList();
  }
}
