package io.telebridge.core.journal;

import io.telebridge.core.fromehr.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Use case: one tenant's figures from its journal over the last hour and the last 24 hours (the console's
 * Metrics and Queues pages), read through the journal's time index ({@link JournalReader#recorded}):
 *
 * <ul>
 *   <li>the counts, derived from each entry exactly as the CloudWatch metrics are
 *       ({@link GuardedJournal.JournalMetrics}: BookingsPosted, Hl7Acked, DeadLettered…, summed over their
 *       other dimensions);
 *   <li>per queue ({@code queue:intake}, {@code queue:to-ehr}…), when the oldest message the journal last saw
 *       put on it, and not yet taken further, was put there: where it waits is decided as the trace decides
 *       it ({@link TraceMessage#waitsAt}). Only what was queued within the window is seen: a message queued
 *       earlier, or whose next step failed to journal, is not (the console labels the figure so).
 * </ul>
 *
 * At most {@link #MAX_STEPS} entries are read per tenant; past that the figures are partial ({@code
 * complete} false) and the console says "at least". Ids and counts only: no PHI.
 */
public final class JournalFigures {

  public static final Duration DAY = Duration.ofHours(24);
  public static final Duration HOUR = Duration.ofHours(1);
  public static final int MAX_STEPS = 20_000;

  /**
   * @param lastHour metric name → count over the last hour
   * @param lastDay metric name → count over the last 24 hours
   * @param oldestQueued queue name ({@code to-ehr}) → when its oldest waiting message was queued
   * @param steps the entries read
   * @param complete false when {@link #MAX_STEPS} were read (every figure is then a lower bound)
   */
  public record Figures(String tenant, Instant at, Map<String, Long> lastHour, Map<String, Long> lastDay,
      Map<String, Instant> oldestQueued, int steps, boolean complete) {}

  private final JournalReader journal;
  private final Clock clock;

  public JournalFigures(JournalReader journal, Clock clock) {
    this.journal = journal;
    this.clock = clock;
  }

  public Figures of(String tenant) {
    Instant now = clock.instant();
    Instant hourAgo = now.minus(HOUR);
    List<JournalEntry> entries = journal.recorded(tenant, now.minus(DAY), now.plusMillis(1), MAX_STEPS);
    Map<String, Long> day = new TreeMap<>();
    Map<String, Long> hour = new TreeMap<>();
    Map<String, List<JournalEntry>> bySubject = new LinkedHashMap<>();
    Map<String, JournalEntry> linkedBy = new HashMap<>();
    for (JournalEntry e : entries) {
      count(e, day);
      if (!e.at().isBefore(hourAgo)) {
        count(e, hour);
      }
      bySubject.computeIfAbsent(e.subject(), s -> new ArrayList<>()).add(e);
      if (e.waitsAt() != null) {
        e.links().forEach(link -> linkedBy.putIfAbsent(link, e));
      }
    }
    Map<String, Instant> oldest = new TreeMap<>();
    bySubject.forEach((subject, steps) -> {
      JournalEntry last = TraceMessage.last(steps);
      queued(oldest, TraceMessage.waitsAt(steps, null), last.at());
    });
    linkedBy.forEach((subject, parent) -> {
      if (!bySubject.containsKey(subject)) {
        queued(oldest, TraceMessage.waitsAt(List.of(), parent.waitsAt()), parent.at());
      }
    });
    return new Figures(tenant, now, hour, day, oldest, entries.size(), entries.size() < MAX_STEPS);
  }

  private static void queued(Map<String, Instant> oldest, String where, Instant since) {
    if (where != null && where.startsWith("queue:")) {
      oldest.merge(where.substring("queue:".length()), since, (a, b) -> a.isBefore(b) ? a : b);
    }
  }

  private static void count(JournalEntry e, Map<String, Long> into) {
    Metrics counter = (metric, value, dimensions) -> into.merge(metric, value, Long::sum);
    try {
      GuardedJournal.JournalMetrics.publish(e, counter);
    } catch (IllegalArgumentException notAStageThatCounts) {
      // an audit record (flow-switch) or a stage this version does not know: no metric
    }
  }
}
