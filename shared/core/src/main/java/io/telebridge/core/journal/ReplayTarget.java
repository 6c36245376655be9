package io.telebridge.core.journal;

/** Port: the queue a replayed message goes to (the to-EHR queue for HL7, the intake queue for an event). */
public interface ReplayTarget {

  /**
   * Sends durably into the message's own FIFO group.
   *
   * @param deduplicationId new for each replay, so the queue does not take it for the original
   * @return the queue the message went to (for the audit record), e.g. {@code to-ehr}
   */
  String send(ArchivedMessage message, String deduplicationId);
}
