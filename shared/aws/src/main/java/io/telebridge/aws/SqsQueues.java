package io.telebridge.aws;

import io.telebridge.core.error.TransientException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The one way to look at a queue and to redrive a dead-letter queue, for {@code ./tb peek/redrive} and
 * the ops console alike: its figures (depth, in flight, delayed), a peek (a receive whose messages are
 * made visible again at once), and a redrive of all or of selected messages back to the queue that
 * dead-lettered them (same group, so the patient's order holds; a stable new deduplication id, so a
 * redrive interrupted between send and delete and run again is deduplicated).
 */
public final class SqsQueues {

  private final SqsClient sqs;

  public SqsQueues(SqsClient sqs) {
    this.sqs = sqs;
  }

  /** A queue's approximate figures. */
  public record Figures(String url, long visible, long inFlight, long delayed) {
    public String name() {
      return nameOf(url);
    }
  }

  /** One message moved by a redrive. */
  public record Moved(String deadLetterMessageId, String newMessageId, String groupId) {}

  public Figures figures(String url) {
    try {
      Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
      return new Figures(url, number(a.get("ApproximateNumberOfMessages")),
          number(a.get("ApproximateNumberOfMessagesNotVisible")), number(a.get("ApproximateNumberOfMessagesDelayed")));
    } catch (SdkException e) {
      throw new TransientException("SQS GetQueueAttributes failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * Receives up to {@code max} messages (hidden for 30 s so that successive receives return others)
   * and makes them all visible again before returning. A receive: each shown message's
   * ApproximateReceiveCount grows by one, so peek dead-letter queues, not queues with a redrive policy.
   */
  public List<Message> peek(String url, int max) {
    List<Message> seen = new ArrayList<>();
    try {
      while (seen.size() < max) {
        int wanted = Math.min(10, max - seen.size());
        List<Message> batch = receive(url, wanted, 30);
        if (batch.isEmpty()) {
          break;
        }
        seen.addAll(batch);
      }
    } finally {
      release(url, seen);
    }
    return seen;
  }

  /** The one queue whose redrive policy names this dead-letter queue, else {@code null}. */
  public String sourceOf(String deadLetterQueueUrl) {
    List<String> sources = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(deadLetterQueueUrl)).queueUrls();
    return sources.size() == 1 ? sources.get(0) : null;
  }

  /**
   * Moves the dead-letter queue's messages that {@code selected} accepts to
   * {@code targetUrl}, at most {@code max}; the others are made visible again. Each is sent before it is
   * deleted: a crash in between leaves it in both, and the send of a second run is deduplicated.
   */
  public List<Moved> redrive(String deadLetterQueueUrl, String targetUrl, Predicate<Message> selected, int max) {
    boolean fifo = targetUrl.endsWith(".fifo");
    List<Moved> moved = new ArrayList<>();
    List<Message> skipped = new ArrayList<>();
    try {
      while (moved.size() < max) {
        List<Message> batch = receive(deadLetterQueueUrl, Math.min(10, max - moved.size()), 60);
        if (batch.isEmpty()) {
          break;
        }
        for (Message m : batch) {
          if (!selected.test(m) || moved.size() >= max) {
            skipped.add(m);
            continue;
          }
          Map<String, String> a = m.attributesAsStrings();
          String group = a.getOrDefault("MessageGroupId", "redrive");
          String sent = sqs.sendMessage(b -> {
            b.queueUrl(targetUrl).messageBody(m.body()).messageAttributes(m.messageAttributes());
            if (fifo) {
              // a new id (the original may still be inside SQS's 5-minute window), but a stable one
              b.messageGroupId(group).messageDeduplicationId(
                  deduplicationId(a.getOrDefault("MessageDeduplicationId", ""), m.messageId()));
            }
          }).messageId();
          sqs.deleteMessage(b -> b.queueUrl(deadLetterQueueUrl).receiptHandle(m.receiptHandle()));
          moved.add(new Moved(m.messageId(), sent, fifo ? group : null));
        }
      }
    } catch (SdkException e) {
      throw new TransientException("SQS redrive failed after " + moved.size() + " message(s) ("
          + e.getClass().getSimpleName() + ")", e);
    } finally {
      release(deadLetterQueueUrl, skipped);
    }
    return moved;
  }

  /** The redriven copy's FIFO deduplication id: stable per dead-letter message, unlike the original's. */
  public static String deduplicationId(String originalDeduplicationId, String deadLetterMessageId) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
          ("redrive|" + originalDeduplicationId + "|" + deadLetterMessageId).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** When the message was first sent to any queue (SQS keeps it across a dead-lettering), else {@code null}. */
  public static Instant sentAt(Message m) {
    String sent = m.attributesAsStrings().get("SentTimestamp");
    return sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent));
  }

  /** The tenant a message belongs to: its {@code tenant} attribute, else its group's {@code tenant:} prefix, else {@code null}. */
  public static String tenantOf(Message m) {
    var t = m.messageAttributes().get("tenant");
    if (t != null && t.stringValue() != null && !t.stringValue().isEmpty()) {
      return t.stringValue();
    }
    String group = m.attributesAsStrings().get("MessageGroupId");
    int colon = group == null ? -1 : group.indexOf(':');
    return colon > 0 ? group.substring(0, colon) : null;
  }

  public static String nameOf(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private List<Message> receive(String url, int max, int visibilitySeconds) {
    return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max).visibilityTimeout(visibilitySeconds)
        .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
        .messageAttributeNames("All")).messages();
  }

  private void release(String url, List<Message> messages) {
    for (int i = 0; i < messages.size(); i += 10) {
      List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < chunk.size(); j++) {
        entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j))
            .receiptHandle(chunk.get(j).receiptHandle()).visibilityTimeout(0).build());
      }
      sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
    }
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
