package io.telebridge.local;

/**
 * Something that invokes a local function when an event happens, the way a Lambda trigger does:
 * today the SQS event source mapping ({@link io.telebridge.local.sqs.SqsEventSource}); EventBridge
 * Scheduler is the next expected one (see {@link io.telebridge.local.scheduler}).
 */
public interface EventSource extends AutoCloseable {

  /** Starts delivering events. */
  void start();

  /** One line for the start-up summary, e.g. {@code IntakeFunction <- SQS IntakeQueue.fifo}. */
  String describe();

  /** Stops delivering events; returns when no invocation of this source is in progress. */
  @Override
  void close();
}
