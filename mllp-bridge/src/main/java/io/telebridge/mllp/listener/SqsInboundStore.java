package io.telebridge.mllp.listener;

import io.telebridge.core.error.RejectedException;
import io.telebridge.core.error.TransientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The from-EHR FIFO queue and the quarantine queue on SQS. SendMessage (or SendMessageBatch) returns
 * once SQS stored the message redundantly: that is the moment the listener may answer AA. Messages
 * that connections submit at about the same moment share one SendMessageBatch ({@link GroupCommit}:
 * at most 10 entries and 256 KiB; same group and deduplication id per entry as alone); each caller
 * returns when its own entry succeeded and throws its own entry's failure.
 *
 * <p>Failures are of two kinds. SQS refusing <em>this message</em> (400 with
 * {@code InvalidMessageContents}, {@code InvalidParameterValue}, {@code MessageTooLong},
 * {@code InvalidAttributeValue}: too large for the queue's MaximumMessageSize,
 * characters it cannot carry) is a {@link RejectedException}: resending would never help, so the
 * listener refuses the message (AR + quarantine) instead of closing the connection. Everything else
 * (no queue, throttling, a network or endpoint failure) is a {@link TransientException}: no ACK, the
 * EHR resends. A quarantine copy SQS refuses is cut to {@link #QUARANTINE_FALLBACK_CHARS} characters
 * and sent again once, marked {@code truncated}.
 */
public final class SqsInboundStore implements InboundStore {

  /** Error codes with which SQS refuses one message's content (not the queue, not the service). */
  private static final java.util.Set<String> MESSAGE_REFUSED = java.util.Set.of(
      "InvalidMessageContents", "InvalidParameterValue", "MessageTooLong",
      "InvalidAttributeValue"); // ElasticMQ's MessageTooLong
  /** The quarantine copy's length when SQS refused the whole frame. */
  public static final int QUARANTINE_FALLBACK_CHARS = 64 * 1024;

  private final SqsClient sqs;
  private final String fromEhrQueueUrl;
  private final String quarantineQueueUrl;
  private final GroupCommit<FromEhrMessage> commit;

  public SqsInboundStore(SqsClient sqs, String fromEhrQueueUrl, String quarantineQueueUrl) {
    this(sqs, fromEhrQueueUrl, quarantineQueueUrl, GroupCommit.Limits.SQS);
  }

  /** With other group-commit limits (tests; {@code maxEntries} 1 turns group commit off). */
  public SqsInboundStore(SqsClient sqs, String fromEhrQueueUrl, String quarantineQueueUrl, GroupCommit.Limits limits) {
    this.sqs = sqs;
    this.fromEhrQueueUrl = fromEhrQueueUrl;
    this.quarantineQueueUrl = quarantineQueueUrl;
    this.commit = new GroupCommit<>(this::sendBatch, SqsInboundStore::sqsBytes, limits);
  }

  /** A client for the listener's writes: short timeouts, so that the EHR is not kept waiting on a dead endpoint. */
  public static SqsClient client(io.telebridge.aws.AwsSettings settings) {
    return new io.telebridge.aws.AwsClients(settings).sqs();
  }

  /**
   * Returns once this message is on the from-EHR queue: in a SendMessageBatch with the messages other
   * connections submitted at the same moment ({@link GroupCommit}), or alone (SendMessage) when no
   * other is on its way.
   */
  @Override
  public void enqueue(FromEhrMessage m) {
    commit.submit(m);
  }

  @Override
  public void frameStarted() {
    commit.expect();
  }

  @Override
  public void frameEnded() {
    commit.cancelExpectation();
  }

  @Override
  public void connectionClosed() {
    commit.forget();
  }

  /** The group commit's counters (batches and entries written), for the benchmark. */
  public GroupCommit<FromEhrMessage> groupCommit() {
    return commit;
  }

  /**
   * One batch of the group commit: one entry goes as SendMessage (the single-message path with its
   * exact error mapping); more as one SendMessageBatch, each entry's failure mapped like SendMessage's
   * ({@link RejectedException} when SQS refuses that very message, else {@link TransientException}). A
   * whole batch SQS refuses as a request (400) is sent again message by message, so that one bad
   * message can only fail itself.
   */
  List<RuntimeException> sendBatch(List<FromEhrMessage> batch) {
    if (batch.size() == 1) {
      return java.util.Collections.singletonList(sendOne(batch.get(0)));
    }
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      FromEhrMessage m = batch.get(i);
      entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageGroupId(m.groupId())
          .messageDeduplicationId(m.deduplicationId()).messageBody(m.body()).messageAttributes(attributes(m)).build());
    }
    SendMessageBatchResponse response;
    try {
      response = sqs.sendMessageBatch(b -> b.queueUrl(fromEhrQueueUrl).entries(entries));
    } catch (SqsException e) {
      if (e.statusCode() == 400) { // the request as a whole (one entry may be the cause): each on its own
        List<RuntimeException> one = new ArrayList<>(batch.size());
        for (FromEhrMessage m : batch) {
          one.add(sendOne(m));
        }
        return one;
      }
      return java.util.Collections.nCopies(batch.size(),
          new TransientException("SQS SendMessageBatch (from-EHR) failed (" + e.getClass().getSimpleName() + ")", e));
    } catch (SdkException e) {
      return java.util.Collections.nCopies(batch.size(),
          new TransientException("SQS SendMessageBatch (from-EHR) failed (" + e.getClass().getSimpleName() + ")", e));
    }
    RuntimeException[] outcome = new RuntimeException[batch.size()]; // null: stored
    boolean[] answered = new boolean[batch.size()];
    for (var ok : response.successful()) {
      answered[Integer.parseInt(ok.id())] = true;
    }
    for (BatchResultErrorEntry failed : response.failed()) {
      int i = Integer.parseInt(failed.id());
      answered[i] = true;
      outcome[i] = Boolean.TRUE.equals(failed.senderFault()) && MESSAGE_REFUSED.contains(failed.code())
          ? new RejectedException("SQS refused the message (" + failed.code() + ")")
          : new TransientException("SQS SendMessageBatch entry (from-EHR) failed (" + failed.code() + ")", null);
    }
    for (int i = 0; i < outcome.length; i++) {
      if (!answered[i]) {
        outcome[i] = new TransientException("SQS SendMessageBatch (from-EHR) did not report the entry", null);
      }
    }
    return java.util.Arrays.asList(outcome);
  }

  /** SendMessage of one message: null when stored, else the failure (never thrown). */
  private RuntimeException sendOne(FromEhrMessage m) {
    try {
      send(m);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** An SQS message's size as SQS counts it: body and attributes (name, type, value), UTF-8. */
  static long sqsBytes(FromEhrMessage m) {
    long n = utf8Length(m.body());
    for (var a : attributes(m).entrySet()) {
      n += utf8Length(a.getKey()) + utf8Length(a.getValue().dataType()) + utf8Length(a.getValue().stringValue());
    }
    return n;
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static Map<String, MessageAttributeValue> attributes(FromEhrMessage m) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    attributes.put("sendingFacility", text(m.sendingFacility()));
    attributes.put("controlId", text(m.controlId()));
    attributes.put("messageType", text(m.messageType()));
    attributes.put("receivedAt", text(m.receivedAt().toString()));
    return attributes;
  }

  private void send(FromEhrMessage m) {
    Map<String, MessageAttributeValue> attributes = attributes(m);
    try {
      sqs.sendMessage(b -> b.queueUrl(fromEhrQueueUrl)
          .messageGroupId(m.groupId())
          .messageDeduplicationId(m.deduplicationId())
          .messageBody(m.body())
          .messageAttributes(attributes));
    } catch (SqsException e) {
      if (refusesTheMessage(e)) {
        throw new RejectedException("SQS refused the message (" + e.awsErrorDetails().errorCode() + ")", e);
      }
      throw new TransientException("SQS SendMessage (from-EHR) failed (" + e.getClass().getSimpleName() + ")", e);
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage (from-EHR) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  static boolean refusesTheMessage(SqsException e) {
    return e.statusCode() == 400 && e.awsErrorDetails() != null
        && MESSAGE_REFUSED.contains(e.awsErrorDetails().errorCode());
  }

  @Override
  public void quarantine(QuarantinedFrame q) {
    try {
      sendQuarantine(q);
    } catch (RejectedException e) {
      String body = q.body();
      sendQuarantine(new QuarantinedFrame(body.substring(0, Math.min(body.length(), QUARANTINE_FALLBACK_CHARS)),
          q.reason(), q.sendingFacility(), q.controlId(), q.receivedAt(), q.frameBytes(), true, q.bytesBase64()));
    }
  }

  private void sendQuarantine(QuarantinedFrame q) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    attributes.put("reason", text(q.reason()));
    if (!q.sendingFacility().isEmpty()) {
      attributes.put("sendingFacility", text(q.sendingFacility()));
    }
    if (!q.controlId().isEmpty()) {
      attributes.put("controlId", text(q.controlId()));
    }
    attributes.put("receivedAt", text(q.receivedAt().toString()));
    attributes.put("frameBytes", MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(q.frameBytes())).build());
    if (q.truncated()) {
      attributes.put("truncated", text("true"));
    }
    String body = q.body().isEmpty() ? "(empty frame)" : q.body();
    if (q.bytesBase64()) { // the frame's bytes as received (its charset could not decode them)
      attributes.put("bodyEncoding", text("base64"));
    } else if (!bodySafe(body)) { // control characters SQS refuses: keep the exact text, base64 of its UTF-8
      body = java.util.Base64.getEncoder().encodeToString(q.body().getBytes(StandardCharsets.UTF_8));
      attributes.put("bodyEncoding", text("base64"));
    }
    try {
      String sent = body;
      sqs.sendMessage(b -> b.queueUrl(quarantineQueueUrl).messageBody(sent).messageAttributes(attributes));
    } catch (SqsException e) {
      if (refusesTheMessage(e)) {
        throw new RejectedException("SQS refused the quarantine copy (" + e.awsErrorDetails().errorCode() + ")", e);
      }
      throw new TransientException("SQS SendMessage (quarantine) failed (" + e.getClass().getSimpleName() + ")", e);
    } catch (SdkException e) {
      throw new TransientException("SQS SendMessage (quarantine) failed (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static MessageAttributeValue text(String v) {
    return MessageAttributeValue.builder().dataType("String").stringValue(v == null || v.isEmpty() ? "-" : v).build();
  }

  /** Whether SQS accepts every character of the text as a message body (XML 1.0 characters). */
  public static boolean bodySafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 ? c != 0x9 && c != 0xA && c != 0xD : c == 0xFFFE || c == 0xFFFF) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
