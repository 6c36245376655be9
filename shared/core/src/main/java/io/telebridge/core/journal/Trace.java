package io.telebridge.core.journal;

import java.util.List;

/**
 * The answer to "where is this booking?": every step recorded for the id asked about and everything
 * it led to, oldest first, and where each branch of it waits now.
 *
 * @param tenant the tenant whose journal was read
 * @param query the id asked about (event id, MSH-10, appointment id or platform patient id)
 * @param steps the entries, oldest first
 * @param waiting per subject still on its way or stopped: where it is now ({@code queue:to-ehr},
 *     {@code dlq:to-ehr}, {@code review}, {@code retry-at:<instant>}); empty when everything is done
 */
public record Trace(String tenant, String query, List<JournalEntry> steps, List<Position> waiting) {

  /** Where one subject is now. */
  public record Position(String subject, String where) {}

  public Trace {
    steps = List.copyOf(steps);
    waiting = List.copyOf(waiting);
  }

  public boolean found() {
    return !steps.isEmpty();
  }
}
