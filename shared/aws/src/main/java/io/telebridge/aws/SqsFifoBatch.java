package io.telebridge.aws;

import com.amazonaws.services.lambda.runtime.Context;
import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.core.error.RejectedException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one batch loop of the SQS FIFO-triggered functions (to-EHR translator, from-EHR translator,
 * platform delivery), with ReportBatchItemFailures:
 *
 * <ul>
 *   <li>records are handled in the batch's order, which within a message group is the FIFO order;
 *   <li>a record that fails (an exception, or {@link Outcome#retryAfter}) is a batch item failure,
 *       and so is every later record <em>of its message group</em>, unattempted, so nothing
 *       overtakes it; other groups (other patients) go on and are not failed, so their receive
 *       counts are not burnt by someone else's failure;
 *   <li>a record that can never succeed ({@link RejectedException}: bad input) goes to the DLQ at
 *       once with the reason and counts as done, so it blocks nobody; when the DLQ itself fails, it
 *       is a failure like any other;
 *   <li>a record is not started with less time left in the invocation than one attempt may take:
 *       it and every later record are handed back unattempted;
 *   <li>with a {@link Visibility} port, a record with a retry delay becomes visible after that delay
 *       and unattempted records at once (instead of after the queue's whole visibility timeout).
 * </ul>
 *
 * Logs carry message ids and exception classes only (a {@link RejectedException}'s reason is
 * written without patient data by its thrower).
 */
public final class SqsFifoBatch {

  private static final System.Logger LOG = System.getLogger(SqsFifoBatch.class.getName());

  /** The SQS system attribute that names a FIFO record's message group. */
  public static final String GROUP_ATTRIBUTE = "MessageGroupId";

  /** What one record came to. An exception is a failure; a {@link RejectedException} dead-letters. */
  public sealed interface Outcome {
    /** Done (or handed on): the record is deleted. */
    record Done() implements Outcome {}

    /**
     * Not now: a batch item failure, visible again after {@code delay} (null: after the queue's
     * visibility timeout); the rest of its group is handed back.
     */
    record RetryAfter(Duration delay) implements Outcome {}

    Outcome DONE = new Done();

    static Outcome done() {
      return DONE;
    }

    static Outcome retryAfter(Duration delay) {
      return new RetryAfter(delay);
    }
  }

  /** What a function does with one record. */
  @FunctionalInterface
  public interface Step {
    Outcome handle(SqsMessage message);
  }

  /** Where a record that can never succeed goes, with its reason. */
  @FunctionalInterface
  public interface DeadLetter {
    void send(SqsMessage message, String reason, String errorClass);
  }

  /** The queue's ChangeMessageVisibility. */
  @FunctionalInterface
  public interface Visibility {
    void visibleAfter(String receiptHandle, Duration delay);
  }

  /**
   * Told of every record that failed ({@code deadLettered} false: it returns to the queue) or went to
   * the DLQ ({@code deadLettered} true), e.g. to journal the step. It must not throw; if it does, the
   * record's outcome stands and the error is logged.
   */
  @FunctionalInterface
  public interface Failures {
    Failures NONE = (message, error, deadLettered) -> { };

    void failed(SqsMessage message, RuntimeException error, boolean deadLettered);
  }

  private final DeadLetter deadLetter;
  private final Visibility visibility;
  private final Duration attemptBudget;
  private final Failures failures;

  /**
   * @param visibility null: failed and unattempted records return after the queue's visibility timeout
   * @param attemptBudget the time one record may take: a record is not started with less time left
   */
  public SqsFifoBatch(DeadLetter deadLetter, Visibility visibility, Duration attemptBudget) {
    this(deadLetter, visibility, attemptBudget, Failures.NONE);
  }

  /** As above, telling {@code failures} of each failed or dead-lettered record. */
  public SqsFifoBatch(DeadLetter deadLetter, Visibility visibility, Duration attemptBudget, Failures failures) {
    this.deadLetter = Objects.requireNonNull(deadLetter, "deadLetter");
    this.visibility = visibility;
    this.attemptBudget = Objects.requireNonNull(attemptBudget, "attemptBudget");
    this.failures = Objects.requireNonNull(failures, "failures");
  }

  /**
   * The dead-letter port on a FIFO DLQ: the body unchanged, the same group (a redrive keeps the
   * patient's order), the source message id as deduplication id (a retry does not double it), and as
   * attributes the named ones copied from the record, then failedStage, reason, errorClass and
   * sourceMessageId.
   */
  public static DeadLetter deadLetterTo(SqsDeadLetters dlq, String failedStage, List<String> copiedAttributes) {
    return (message, reason, errorClass) -> {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (String name : copiedAttributes) {
        String value = attribute(message, name);
        if (value != null) {
          attributes.put(name, value);
        }
      }
      attributes.put("failedStage", failedStage);
      attributes.put("reason", reason);
      attributes.put("errorClass", errorClass);
      attributes.put("sourceMessageId", message.messageId());
      String group = group(message);
      dlq.send(group == null ? "unknown" : group, message.messageId(), message.body(), attributes);
    };
  }

  /** A String message attribute of the record, or null. */
  public static String attribute(SqsMessage message, String name) {
    return message.messageAttribute(name);
  }

  /** The record's message group, or null (not a FIFO record). */
  public static String group(SqsMessage message) {
    return message.attribute(GROUP_ATTRIBUTE);
  }

  /** Runs {@code step} over the batch as described above; {@code context} may be null (no time limit). */
  public SqsBatchResponse process(SqsEvent event, Context context, Step step) {
    List<String> failures = new ArrayList<>();
    Set<String> failedGroups = new HashSet<>();
    boolean outOfTime = false;
    List<SqsMessage> records = event.records();
    for (SqsMessage message : records) {
      String group = Objects.requireNonNullElse(group(message), "");
      if (!outOfTime && context != null && context.getRemainingTimeInMillis() < attemptBudget.toMillis()) {
        LOG.log(Level.WARNING, "not enough time left for messageId={0}; it and the rest of the batch are handed back",
            message.messageId());
        outOfTime = true;
      }
      if (outOfTime || failedGroups.contains(group)) {
        failures.add(message.messageId());
        changeVisibility(message, Duration.ZERO);
        continue;
      }
      if (!handled(message, step)) {
        failures.add(message.messageId());
        failedGroups.add(group);
      }
    }
    return new SqsBatchResponse(failures);
  }

  /** True: done or dead-lettered; false: a failure (its visibility already set where it has a delay). */
  private boolean handled(SqsMessage message, Step step) {
    try {
      Outcome outcome = step.handle(message);
      if (outcome instanceof Outcome.RetryAfter retry) {
        if (retry.delay() != null) {
          changeVisibility(message, retry.delay());
        }
        return false;
      }
      return true;
    } catch (RejectedException bad) {
      try {
        deadLetter.send(message, bad.getMessage(), bad.getClass().getSimpleName());
        LOG.log(Level.WARNING, "dead-lettered messageId={0}: {1}", message.messageId(), bad.getMessage());
        tell(message, bad, true);
        return true;
      } catch (RuntimeException dlqDown) {
        LOG.log(Level.ERROR, "could not dead-letter messageId={0}: {1}", message.messageId(),
            dlqDown.getClass().getSimpleName());
        return false;
      }
    } catch (RuntimeException failed) {
      // transient (queue, table, endpoint) or unexpected: retried by SQS, to the DLQ after maxReceiveCount
      LOG.log(Level.WARNING, "failed messageId={0}: {1}", message.messageId(), failed.getClass().getSimpleName());
      tell(message, failed, false);
      return false;
    }
  }

  private void tell(SqsMessage message, RuntimeException error, boolean deadLettered) {
    try {
      failures.failed(message, error, deadLettered);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "failure listener failed for messageId={0}: {1}", message.messageId(),
          e.getClass().getSimpleName());
    }
  }

  /** Best effort: when it fails, the record simply returns after the queue's visibility timeout. */
  private void changeVisibility(SqsMessage message, Duration delay) {
    if (visibility == null) {
      return;
    }
    try {
      visibility.visibleAfter(message.receiptHandle(), delay);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not change the visibility of messageId={0}: {1}", message.messageId(),
          e.getClass().getSimpleName());
    }
  }
}
