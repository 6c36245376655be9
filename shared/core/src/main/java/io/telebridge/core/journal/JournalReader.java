package io.telebridge.core.journal;

import java.time.Instant;
import java.util.List;

/** Port: reading the journal back, always within one tenant. */
public interface JournalReader {

  /** Every entry of one subject ({@code event:<id>} / {@code hl7:<MSH-10>}) of the tenant, oldest first. */
  List<JournalEntry> entries(String tenant, String subject);

  /** The subjects recorded with this appointment id (a platform appointment id) in the tenant. */
  List<String> subjectsOfAppointment(String tenant, String appointmentId);

  /** The subjects recorded with this platform patient id in the tenant. */
  List<String> subjectsOfPatient(String tenant, String platformPatientId);

  /**
   * The tenant's entries recorded at or after {@code from} and before {@code to}, oldest first, at most
   * {@code limit} of them (more recorded: the first {@code limit}, the caller says the figure is partial).
   * Read from a time index ({@code JournalFigures}: the console's figures), never by scanning the table.
   */
  List<JournalEntry> recorded(String tenant, Instant from, Instant to, int limit);
}
