package io.telebridge.core.context;

/**
 * Port: the to-platform FIFO queue for context events ({@code patient.context.ready} /
 * {@code patient.context.unavailable}): group {@link ContextOutcome#groupId()}, deduplication id the
 * event id, so the signed platform delivery (retries, DLQ) delivers them.
 *
 * @throws io.telebridge.core.error.TransientException when the queue is unavailable
 */
public interface ContextOutbox {
  void send(ContextOutcome outcome);
}
