package io.telebridge.local.sqs;

import io.telebridge.local.EventSource;
import io.telebridge.local.lambda.FunctionError;
import io.telebridge.local.lambda.LocalFunction;
import io.telebridge.local.template.StackResolver;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An SQS event source mapping, as Lambda runs one: {@code concurrency} poller threads, each
 * long-polling the queue, handing its batch to the function as an {@code SQSEvent}, and deleting
 * what succeeded; so up to {@code concurrency} batches are in the function at once (Lambda's
 * {@code ScalingConfig.MaximumConcurrency}, bounded by the function's own concurrency).
 *
 * <ul>
 *   <li>Batch: up to {@code BatchSize} messages; with {@code MaximumBatchingWindowInSeconds} it
 *       keeps receiving until the batch is full or the window has passed.</li>
 *   <li>Success: every message of the batch is deleted, except, when
 *       {@code FunctionResponseTypes} has {@code ReportBatchItemFailures}, those listed in
 *       {@code batchItemFailures}. As on AWS, an invalid response (not JSON, an empty or unknown
 *       {@code itemIdentifier}) fails the whole batch.</li>
 *   <li>Failure (the handler threw or timed out): nothing is deleted; the messages come back after
 *       the visibility timeout and, past {@code maxReceiveCount}, ElasticMQ moves them to the
 *       queue's DLQ.</li>
 *   <li>FIFO order per message group comes from ElasticMQ, which hides a group's messages from
 *       every receive while any of the group's messages is in flight (received, not deleted, not
 *       yet visible again): a group is never in two batches at once, and its later messages wait
 *       until the batch holding its earlier ones is done (ElasticMQ's {@code FifoMessageQueue},
 *       pinned by {@code SqsEventSourceConcurrencyTest}). Different groups go to different
 *       batches in parallel, as on Lambda. The pollers also lock each group of their batch
 *       while it runs, for the messages ElasticMQ restored after a restart (see
 *       {@link #lockGroups}).</li>
 * </ul>
 * Logs message ids and counts only.
 */
public final class SqsEventSource implements EventSource {

  private static final Logger LOG = LoggerFactory.getLogger(SqsEventSource.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Settings of one mapping. */
  public record Settings(
      String eventName,
      String queueUrl,
      String queueArn,
      int batchSize,
      int maximumBatchingWindowSeconds,
      boolean reportBatchItemFailures,
      int pollWaitSeconds,
      int concurrency) {

    public Settings {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1");
      }
    }

    /** One batch at a time. */
    public Settings(String eventName, String queueUrl, String queueArn, int batchSize, int maximumBatchingWindowSeconds,
        boolean reportBatchItemFailures, int pollWaitSeconds) {
      this(eventName, queueUrl, queueArn, batchSize, maximumBatchingWindowSeconds, reportBatchItemFailures,
          pollWaitSeconds, 1);
    }
  }

  private final LocalFunction function;
  private final SqsClient sqs;
  private final Settings settings;
  private final CountDownLatch stopped;
  private volatile boolean running;
  private final List<Thread> threads = new ArrayList<>();
  /** A lock per message group seen (FIFO queues with several pollers): see {@link #lockGroups}. */
  private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> groupLocks =
      new java.util.concurrent.ConcurrentHashMap<>();

  public SqsEventSource(LocalFunction function, SqsClient sqs, Settings settings) {
    this.function = function;
    this.sqs = sqs;
    this.settings = settings;
    this.stopped = new CountDownLatch(settings.concurrency());
  }

  public Settings settings() {
    return settings;
  }

  public LocalFunction function() {
    return function;
  }

  @Override
  public String describe() {
    return function.logicalId() + " <- SQS " + queueName() + " (event " + settings.eventName() + ", batch "
        + settings.batchSize() + ", " + settings.concurrency() + " at once"
        + (settings.reportBatchItemFailures() ? ", ReportBatchItemFailures" : "") + ")";
  }

  @Override
  public synchronized void start() {
    if (!threads.isEmpty()) {
      return;
    }
    running = true;
    for (int i = 0; i < settings.concurrency(); i++) {
      threads.add(Thread.ofPlatform().daemon(true)
          .name("sqs-" + function.logicalId() + "-" + settings.eventName() + "-" + i)
          .start(this::loop));
    }
    LOG.info("{}.{}: polling {} (batch {}, window {} s, {} batch(es) at once, ReportBatchItemFailures {})",
        function.logicalId(), settings.eventName(), queueName(), settings.batchSize(),
        settings.maximumBatchingWindowSeconds(), settings.concurrency(), settings.reportBatchItemFailures());
  }

  private String queueName() {
    String url = settings.queueUrl();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private void loop() {
    try {
      while (running) {
        try {
          List<Message> batch = receiveBatch();
          if (batch.isEmpty()) {
            continue;
          }
          if (!running) {
            release(batch);
            break;
          }
          List<java.util.concurrent.locks.ReentrantLock> held = lockGroups(batch);
          try {
            deliver(batch);
          } finally {
            held.forEach(java.util.concurrent.locks.ReentrantLock::unlock);
          }
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          LOG.warn("{}.{}: polling failed ({}); retrying in 1 s", function.logicalId(), settings.eventName(),
              e.getClass().getSimpleName());
          sleep(1000);
        }
      }
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Takes the lock of every message group in the batch (in name order: no two pollers wait for each
   * other), so that a group is in one batch at a time even where ElasticMQ's own group lock does not
   * hold: messages restored from its store after a restart are not FIFO to it any more, and a
   * restored group's next message becomes receivable as soon as the one before is received. A
   * batch that got a group's later message so waits here until the batch with its earlier one is
   * done.
   */
  private List<java.util.concurrent.locks.ReentrantLock> lockGroups(List<Message> batch) {
    if (settings.concurrency() == 1) {
      return List.of();
    }
    java.util.TreeSet<String> groups = new java.util.TreeSet<>();
    for (Message m : batch) {
      String group = m.attributesAsStrings().get("MessageGroupId");
      if (group != null) {
        groups.add(group);
      }
    }
    List<java.util.concurrent.locks.ReentrantLock> held = new ArrayList<>();
    for (String group : groups) {
      java.util.concurrent.locks.ReentrantLock lock =
          groupLocks.computeIfAbsent(group, g -> new java.util.concurrent.locks.ReentrantLock(true));
      if (!lock.tryLock()) {
        LOG.debug("{}.{}: a batch waits for another batch of the same message group", function.logicalId(),
            settings.eventName());
        lock.lock();
      }
      held.add(lock);
    }
    return held;
  }

  private List<Message> receiveBatch() {
    List<Message> batch = new ArrayList<>();
    long windowEnds = System.nanoTime() + settings.maximumBatchingWindowSeconds() * 1_000_000_000L;
    do {
      int wanted = Math.min(10, settings.batchSize() - batch.size());
      long windowLeft = Math.max(0, (windowEnds - System.nanoTime()) / 1_000_000_000L);
      int wait = batch.isEmpty() ? settings.pollWaitSeconds() : (int) Math.min(settings.pollWaitSeconds(), windowLeft);
      List<Message> received = sqs.receiveMessage(b -> b.queueUrl(settings.queueUrl())
          .maxNumberOfMessages(wanted)
          .waitTimeSeconds(wait)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All")).messages();
      batch.addAll(received);
      if (received.isEmpty() && batch.isEmpty()) {
        return batch;
      }
    } while (running && batch.size() < settings.batchSize() && System.nanoTime() < windowEnds);
    return batch;
  }

  private void deliver(List<Message> batch) {
    byte[] event = sqsEvent(batch);
    byte[] result;
    try {
      result = function.invoke(event);
    } catch (FunctionError e) {
      LOG.warn("{}.{}: batch of {} failed ({}); nothing deleted, the messages return after the visibility timeout",
          function.logicalId(), settings.eventName(), batch.size(), e.kind());
      return;
    }
    Set<String> failed = settings.reportBatchItemFailures() ? failures(result, batch) : Set.of();
    if (failed == null) {
      LOG.warn("{}.{}: invalid batchItemFailures response: the whole batch of {} counts as failed",
          function.logicalId(), settings.eventName(), batch.size());
      return;
    }
    List<Message> done = batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
    delete(done);
    if (!failed.isEmpty()) {
      LOG.info("{}.{}: {} of {} message(s) reported failed, left for retry: {}", function.logicalId(),
          settings.eventName(), failed.size(), batch.size(), failed);
    } else {
      LOG.debug("{}.{}: batch of {} done", function.logicalId(), settings.eventName(), batch.size());
    }
  }

  /** Ids of the failed messages, or {@code null} when the response fails the whole batch. */
  static Set<String> failures(byte[] result, List<Message> batch) {
    JsonNode node;
    try {
      node = result == null || result.length == 0 ? null : JSON.readTree(result);
    } catch (JacksonException e) {
      return null;
    }
    Set<String> out = new HashSet<>();
    if (node == null || node.isNull() || node.isMissingNode()) {
      return out;
    }
    if (!node.isObject()) {
      return null;
    }
    JsonNode list = node.get("batchItemFailures");
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      return null;
    }
    Set<String> ids = new HashSet<>();
    batch.forEach(m -> ids.add(m.messageId()));
    for (JsonNode item : list) {
      JsonNode id = item.get("itemIdentifier");
      if (id == null || !id.isString() || id.asString().isEmpty() || !ids.contains(id.asString())) {
        return null;
      }
      out.add(id.asString());
    }
    return out;
  }

  private void delete(List<Message> messages) {
    for (int i = 0; i < messages.size(); i += 10) {
      List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < chunk.size(); j++) {
        entries.add(DeleteMessageBatchRequestEntry.builder()
            .id(Integer.toString(j)).receiptHandle(chunk.get(j).receiptHandle()).build());
      }
      DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(settings.queueUrl()).entries(entries));
      if (!response.failed().isEmpty()) {
        LOG.warn("{}.{}: {} delete(s) failed", function.logicalId(), settings.eventName(), response.failed().size());
      }
    }
  }

  /** Makes received but unprocessed messages visible again (used when stopping mid-receive). */
  private void release(List<Message> messages) {
    try {
      for (int i = 0; i < messages.size(); i += 10) {
        List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (int j = 0; j < chunk.size(); j++) {
          entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j))
              .receiptHandle(chunk.get(j).receiptHandle()).visibilityTimeout(0).build());
        }
        sqs.changeMessageVisibilityBatch(b -> b.queueUrl(settings.queueUrl()).entries(entries));
      }
    } catch (RuntimeException e) {
      LOG.debug("releasing {} message(s) on stop failed: {}", messages.size(), e.toString());
    }
  }

  /** The SQSEvent JSON, as Lambda builds it. */
  byte[] sqsEvent(List<Message> batch) {
    return sqsEvent(batch, settings.queueArn());
  }

  /** The SQSEvent JSON for these messages of that queue, as Lambda builds it (also the cold start bench's events). */
  public static byte[] sqsEvent(List<Message> batch, String queueArn) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : batch) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      for (Map.Entry<String, String> a : m.attributesAsStrings().entrySet()) {
        attributes.put(a.getKey(), a.getValue());
      }
      ObjectNode messageAttributes = r.putObject("messageAttributes");
      for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
        MessageAttributeValue v = a.getValue();
        ObjectNode value = messageAttributes.putObject(a.getKey());
        if (v.stringValue() != null) {
          value.put("stringValue", v.stringValue());
        }
        if (v.binaryValue() != null) {
          value.put("binaryValue", base64(v.binaryValue()));
        }
        ArrayNode strings = value.putArray("stringListValues");
        v.stringListValues().forEach(strings::add);
        ArrayNode binaries = value.putArray("binaryListValues");
        v.binaryListValues().forEach(b -> binaries.add(base64(b)));
        value.put("dataType", v.dataType());
      }
      r.put("md5OfBody", m.md5OfBody());
      if (m.md5OfMessageAttributes() != null) {
        r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
      }
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queueArn);
      r.put("awsRegion", StackResolver.REGION);
    }
    return JSON.writeValueAsBytes(event);
  }

  private static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArray());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops polling; waits for the batches in progress (if any) to finish. */
  @Override
  public void close() {
    running = false;
    if (threads.isEmpty()) {
      return;
    }
    try {
      long waitSeconds = settings.pollWaitSeconds() + function.spec().timeoutSeconds() + 5L;
      if (!stopped.await(waitSeconds, TimeUnit.SECONDS)) {
        LOG.warn("{}.{}: poller(s) still busy after {} s; leaving them", function.logicalId(), settings.eventName(),
            waitSeconds);
        threads.forEach(Thread::interrupt);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
