package io.telebridge.core.journal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The journal in memory (unit tests of the stages and of {@link TraceMessage}). */
public final class InMemoryJournal implements Journal, JournalReader {

  private final List<JournalEntry> entries = new CopyOnWriteArrayList<>();

  @Override
  public void record(JournalEntry entry) {
    entries.add(entry);
  }

  public List<JournalEntry> all() {
    return List.copyOf(entries);
  }

  @Override
  public List<JournalEntry> entries(String tenant, String subject) {
    List<JournalEntry> out = new ArrayList<>();
    for (JournalEntry e : entries) {
      if (e.tenant().equals(tenant) && e.subject().equals(subject)) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparing(JournalEntry::at));
    return out;
  }

  @Override
  public List<JournalEntry> recorded(String tenant, java.time.Instant from, java.time.Instant to, int limit) {
    return entries.stream().filter(e -> e.tenant().equals(tenant) && !e.at().isBefore(from) && e.at().isBefore(to))
        .sorted(Comparator.comparing(JournalEntry::at)).limit(limit).toList();
  }

  @Override
  public List<String> subjectsOfAppointment(String tenant, String appointmentId) {
    return entries.stream().filter(e -> e.tenant().equals(tenant) && appointmentId.equals(e.appointmentId()))
        .map(JournalEntry::subject).distinct().toList();
  }

  @Override
  public List<String> subjectsOfPatient(String tenant, String platformPatientId) {
    return entries.stream().filter(e -> e.tenant().equals(tenant) && platformPatientId.equals(e.platformPatientId()))
        .map(JournalEntry::subject).distinct().toList();
  }
}
