package io.telebridge.core.journal;

import java.util.List;

/** Port: reading the journal back, always within one tenant. */
public interface JournalReader {

  /** Every entry of one subject ({@code event:<id>} / {@code hl7:<MSH-10>}) of the tenant, oldest first. */
  List<JournalEntry> entries(String tenant, String subject);

  /** The subjects recorded with this appointment id (a platform appointment id) in the tenant. */
  List<String> subjectsOfAppointment(String tenant, String appointmentId);

  /** The subjects recorded with this platform patient id in the tenant. */
  List<String> subjectsOfPatient(String tenant, String platformPatientId);
}
