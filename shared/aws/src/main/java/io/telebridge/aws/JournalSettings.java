package io.telebridge.aws;

import io.telebridge.aws.dynamodb.DynamoDb;
import io.telebridge.core.journal.GuardedJournal;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.ReplayArchive;
import io.telebridge.core.log.EmfMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Where a stage journals its steps, read once from the environment at cold start:
 *
 * <pre>
 *   JOURNAL_TABLE            the journal table; unset: nothing is journaled (metrics are still derived)
 *   JOURNAL_RETENTION_DAYS   the TTL of each step, default 30
 *   REPLAY_ARCHIVE_TABLE     where the to-EHR translator keeps what it queued, for a replay; unset: not kept
 * </pre>
 */
public record JournalSettings(String table, Duration retention, String archiveTable) {

  public static JournalSettings fromEnvironment(Map<String, String> env) {
    return new JournalSettings(blankToNull(env.get("JOURNAL_TABLE")),
        DynamoDbJournal.retention(env.get("JOURNAL_RETENTION_DAYS")), blankToNull(env.get("REPLAY_ARCHIVE_TABLE")));
  }

  /** The stage's journal: never throws, derives its EMF metrics (service {@code service}) from each step. */
  public GuardedJournal journal(DynamoDb dynamo, String service) {
    return new GuardedJournal(DynamoDbJournal.of(dynamo, table, retention), EmfMetrics.stdout(service));
  }

  /** The journal as a reader (the ops API); requires the table. */
  public DynamoDbJournal reader(DynamoDb dynamo) {
    if (table == null) {
      throw new IllegalStateException("JOURNAL_TABLE is required");
    }
    return new DynamoDbJournal(dynamo, table, retention);
  }

  /** The unguarded journal (the replay's audit record must be written or the replay not done). */
  public Journal strictJournal(DynamoDb dynamo) {
    return DynamoDbJournal.of(dynamo, table, retention);
  }

  public ReplayArchive archive(DynamoDb dynamo, Clock clock) {
    return DynamoDbReplayArchive.of(dynamo, archiveTable, retention, clock);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
