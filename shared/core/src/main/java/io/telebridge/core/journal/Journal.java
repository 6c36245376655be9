package io.telebridge.core.journal;

/**
 * Port: the journal of every message's journey (DynamoDB in AWS, with a TTL). Each stage calls
 * {@link #record} once per message it handled, after its own commit point. Wrap an adapter in
 * {@link GuardedJournal} so that a journal outage can never fail a message.
 */
public interface Journal {

  /** A journal that keeps nothing (a stage deployed without JOURNAL_TABLE). */
  Journal NONE = entry -> { };

  void record(JournalEntry entry);
}
