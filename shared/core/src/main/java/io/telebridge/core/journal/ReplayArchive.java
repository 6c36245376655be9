package io.telebridge.core.journal;

import java.util.List;
import java.util.Optional;

/** Port: what was queued, kept for a replay (DynamoDB, encrypted, TTL as the journal's). */
public interface ReplayArchive {

  /** Keeps these messages (one call per translated event). */
  void keep(List<ArchivedMessage> messages);

  Optional<ArchivedMessage> find(String tenant, String subject);

  ReplayArchive NONE = new ReplayArchive() {
    @Override
    public void keep(List<ArchivedMessage> messages) { }

    @Override
    public Optional<ArchivedMessage> find(String tenant, String subject) {
      return Optional.empty();
    }
  };
}
