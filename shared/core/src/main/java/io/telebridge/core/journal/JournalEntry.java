package io.telebridge.core.journal;

import java.time.Instant;
import java.util.List;

/**
 * One step of one message's journey: what a stage did with one platform event or one HL7 message.
 * Ids only, never PHI (no names, birth dates, notes, MRNs or payloads): the journal answers "where
 * is this booking?" for operators who must not need PHI to do so.
 *
 * @param tenant the tenant the message belongs to (part of every key: a tenant sees only its own)
 * @param subject what the entry is about: {@code event:<eventId>} or {@code hl7:<MSH-10>}
 * @param stage one of {@link Stage}'s names, e.g. {@code mllp-sender}
 * @param type the event type ({@code appointment.booked}) or HL7 message type ({@code SIU^S12}), or null
 * @param outcome e.g. {@code accepted}, {@code translated}, {@code AA}, {@code AE}, {@code delivered}
 * @param attempt 1 for the first try (SQS receive count, NACK attempt), 0 when not known
 * @param errorClass the error's class or reason slug, or null
 * @param errorCode the error's code (ERR-3, HTTP status), or null
 * @param at when the stage recorded it
 * @param links the subjects this step led to (event → its MSH-10s; an EHR message → the events delivered)
 * @param waitsAt where the message waits after this step, or null when it moved on or is done: {@code
 *     queue:<name>}, {@code dlq:<name>}, {@code review}, {@code retry-at:<instant>}
 * @param appointmentId the platform appointment id the message is about, or null (lookup key)
 * @param platformPatientId the platform patient id, or null (lookup key; an opaque platform id, not PHI)
 * @param by who asked for it (replays: the verified caller), or null
 */
public record JournalEntry(
    String tenant,
    String subject,
    String stage,
    String type,
    String outcome,
    int attempt,
    String errorClass,
    String errorCode,
    Instant at,
    List<String> links,
    String waitsAt,
    String appointmentId,
    String platformPatientId,
    String by) {

  public static final String EVENT = "event:";
  public static final String HL7 = "hl7:";

  public JournalEntry {
    links = links == null ? List.of() : List.copyOf(links);
  }

  /** An entry about platform event {@code eventId}. */
  public static JournalEntry event(String tenant, String eventId, Stage stage, String outcome, Instant at) {
    return new JournalEntry(tenant, EVENT + eventId, stage.wire(), null, outcome, 0, null, null, at, List.of(), null, null,
        null, null);
  }

  /** An entry about the HL7 message whose MSH-10 is {@code controlId}. */
  public static JournalEntry hl7(String tenant, String controlId, Stage stage, String outcome, Instant at) {
    return new JournalEntry(tenant, HL7 + controlId, stage.wire(), null, outcome, 0, null, null, at, List.of(), null, null,
        null, null);
  }

  public JournalEntry type(String t) {
    return new JournalEntry(tenant, subject, stage, t, outcome, attempt, errorClass, errorCode, at, links, waitsAt,
        appointmentId, platformPatientId, by);
  }

  public JournalEntry attempt(int n) {
    return new JournalEntry(tenant, subject, stage, type, outcome, n, errorClass, errorCode, at, links, waitsAt, appointmentId,
        platformPatientId, by);
  }

  public JournalEntry error(String errorClass, String errorCode) {
    return new JournalEntry(tenant, subject, stage, type, outcome, attempt, errorClass, errorCode, at, links, waitsAt,
        appointmentId, platformPatientId, by);
  }

  public JournalEntry links(List<String> to) {
    return new JournalEntry(tenant, subject, stage, type, outcome, attempt, errorClass, errorCode, at, to, waitsAt,
        appointmentId, platformPatientId, by);
  }

  public JournalEntry waitsAt(String where) {
    return new JournalEntry(tenant, subject, stage, type, outcome, attempt, errorClass, errorCode, at, links, where,
        appointmentId, platformPatientId, by);
  }

  public JournalEntry about(String appointment, String platformPatient) {
    return new JournalEntry(tenant, subject, stage, type, outcome, attempt, errorClass, errorCode, at, links, waitsAt,
        appointment, platformPatient, by);
  }

  public JournalEntry by(String who) {
    return new JournalEntry(tenant, subject, stage, type, outcome, attempt, errorClass, errorCode, at, links, waitsAt,
        appointmentId, platformPatientId, who);
  }

  /** The id without its kind: the event id or the MSH-10. */
  public String id() {
    return subject.substring(subject.indexOf(':') + 1);
  }
}
