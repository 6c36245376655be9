package io.telebridge.core.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Use case: "where is this booking?". From an event id, an MSH-10, an appointment id or a platform
 * patient id of one tenant, follows the journal's links (event → its MSH-10s; an EHR message → the
 * events delivered from it) and says where each branch waits now. Reads only the tenant's own keys:
 * another tenant's ids are simply not found.
 */
public final class TraceMessage {

  /** A guard against a pathological fan-out (a patient with years of history): at most this many subjects. */
  public static final int MAX_SUBJECTS = 200;

  private final JournalReader journal;

  public TraceMessage(JournalReader journal) {
    this.journal = journal;
  }

  public Trace trace(String tenant, String id) {
    Set<String> roots = new LinkedHashSet<>();
    roots.add(JournalEntry.EVENT + id);
    roots.add(JournalEntry.HL7 + id);
    roots.addAll(journal.subjectsOfAppointment(tenant, id));
    roots.addAll(journal.subjectsOfPatient(tenant, id));

    Map<String, List<JournalEntry>> bySubject = new LinkedHashMap<>();
    Map<String, String> inheritedWait = new LinkedHashMap<>(); // a linked subject not yet recorded waits where its parent put it
    Deque<String> todo = new ArrayDeque<>(roots);
    Set<String> seen = new LinkedHashSet<>(roots);
    while (!todo.isEmpty() && bySubject.size() < MAX_SUBJECTS) {
      String subject = todo.poll();
      List<JournalEntry> entries = journal.entries(tenant, subject);
      if (entries.isEmpty() && !inheritedWait.containsKey(subject)) {
        continue; // a guess (the id as the other kind) that names nothing
      }
      bySubject.put(subject, entries);
      for (JournalEntry e : entries) {
        for (String link : e.links()) {
          if (seen.add(link)) {
            todo.add(link);
            if (e.waitsAt() != null) {
              inheritedWait.put(link, e.waitsAt());
            }
          }
        }
      }
    }

    List<JournalEntry> steps = new ArrayList<>();
    bySubject.values().forEach(steps::addAll);
    steps.sort(Comparator.comparing(JournalEntry::at).thenComparing(JournalEntry::subject));

    List<Trace.Position> waiting = new ArrayList<>();
    bySubject.forEach((subject, entries) -> {
      if (entries.isEmpty()) {
        waiting.add(new Trace.Position(subject, inheritedWait.get(subject)));
        return;
      }
      String where = waitsAt(entries, null);
      if (where != null) {
        waiting.add(new Trace.Position(subject, where));
      }
    });
    return new Trace(tenant, id, steps, waiting);
  }

  /**
   * Where a subject waits now, from its entries (any order) or, when it has none yet, where the step that
   * linked to it put it ({@code inherited}); null when it waits nowhere (done). A step that queued linked
   * messages (an event translated into HL7 messages) does not make its own subject wait: its links do.
   */
  static String waitsAt(List<JournalEntry> entries, String inherited) {
    if (entries.isEmpty()) {
      return inherited;
    }
    JournalEntry last = last(entries);
    return last.waitsAt() != null && !(last.links().size() > 0 && last.waitsAt().startsWith("queue:"))
        ? last.waitsAt() : null;
  }

  /** The latest of a subject's entries. */
  static JournalEntry last(List<JournalEntry> entries) {
    return entries.stream().max(Comparator.comparing(JournalEntry::at)).orElseThrow();
  }
}
