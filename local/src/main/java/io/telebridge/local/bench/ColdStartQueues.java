package io.telebridge.local.bench;

import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.local.LocalStack;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The cold start bench's queue side: what it puts on a function's (disabled) source queue and
 * receives back as the record the poller would hand over, the SQSEvent JSON around it, and what it
 * takes off the queues the function writes to (to count and clear them).
 */
final class ColdStartQueues {

  private ColdStartQueues() {}

  /**
   * POSTs a freshly signed copy of the sample (event {@code n}, a patient new to this run) to the
   * stack's API, expects 202, and receives the accepted message from the function's queue (the
   * function's own trigger is off, so nothing else reads it).
   */
  static Message acceptAndReceive(LocalStack stack, HttpClient http, String queueUrl, BenchEvents events, int n)
      throws IOException, InterruptedException {
    byte[] body = events.body(n, events.runPatient(n));
    HttpResponse<String> response = http.send(io.telebridge.local.SignedPost.of(stack.apiUrl("/v1/events"),
        stack.devSigningSecret(), body, Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("the intake answered " + response.statusCode() + " to event " + events.eventId(n));
    }
    return receive(stack, queueUrl, "\"" + events.eventId(n) + "\"");
  }

  /**
   * Takes (receives and deletes) the messages of one event from the to-EHR queue: waits up to 2 s
   * for {@code expected} of them (a FIFO group is locked while one is in flight, hence the loop),
   * then drains what else is visible. Returns their {@code messageType} attributes in order.
   */
  static List<String> takeToEhr(LocalStack stack, String queueUrl, String eventId, int expected) {
    return take(stack, queueUrl, expected, m -> {
      MessageAttributeValue id = m.messageAttributes().get("eventId");
      MessageAttributeValue type = m.messageAttributes().get("messageType");
      return (id != null && eventId.equals(id.stringValue()) ? "" : "other:") + (type == null ? "?" : type.stringValue());
    });
  }

  /** Takes the events on the to-platform queue (waits up to 2 s for {@code expected}); returns their eventType attributes. */
  static List<String> takePlatform(LocalStack stack, String queueUrl, int expected) {
    return take(stack, queueUrl, expected, m -> {
      MessageAttributeValue type = m.messageAttributes().get("eventType");
      return type == null ? "?" : type.stringValue();
    });
  }

  /** Receives and deletes: waits up to 2 s for {@code expected} messages, then drains what else is visible. */
  private static List<String> take(LocalStack stack, String queueUrl, int expected,
      java.util.function.Function<Message, String> describe) {
    List<String> taken = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (true) {
      boolean waiting = taken.size() < expected && System.nanoTime() < deadline;
      List<Message> got = stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(waiting ? 1 : 0).messageAttributeNames("All")).messages();
      for (Message m : got) {
        taken.add(describe.apply(m));
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
      if (got.isEmpty() && !waiting) {
        return taken;
      }
    }
  }

  /**
   * Puts one HL7 message on the from-EHR queue as the MLLP listener does (contract: body = the text,
   * attributes sendingFacility / controlId / messageType / receivedAt, group = the MRN, dedup = hex
   * SHA-256 of facility|MSH-10), with {@code controlId} as its MSH-10, and receives it back.
   */
  static Message sendHl7AndReceive(LocalStack stack, String queueUrl, String hl7, String controlId)
      throws NoSuchAlgorithmException {
    char sep = hl7.charAt(3);
    String msh = hl7.substring(0, hl7.indexOf('\r') < 0 ? hl7.length() : hl7.indexOf('\r'));
    String[] f = msh.split(Pattern.quote(String.valueOf(sep)), -1);
    f[9] = controlId; // MSH-10
    String body = String.join(String.valueOf(sep), f) + hl7.substring(msh.length());
    String facility = f[3];
    String mrn = new FromEhrReader("TELEHEALTH", ZoneOffset.UTC).read(body).patient().mrn().value();
    String dedup = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((facility + "|" + controlId).getBytes(StandardCharsets.UTF_8)));
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    attrs.put("sendingFacility", text(facility));
    attrs.put("controlId", text(controlId));
    attrs.put("messageType", text(f[8]));
    attrs.put("receivedAt", text(Instant.now().toString()));
    stack.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageGroupId(mrn)
        .messageDeduplicationId(dedup).messageAttributes(attrs));
    return receive(stack, queueUrl, controlId);
  }

  /** The SQSEvent JSON for these messages, as the local poller ({@code SqsEventSource}) and Lambda build it. */
  static byte[] sqsEvent(List<Message> batch, String queueArn) {
    return io.telebridge.local.sqs.SqsEventSource.sqsEvent(batch, queueArn);
  }

  /**
   * Receives the one message whose body contains {@code marker} from the queue (the function's trigger is
   * off); another one found first (e.g. an earlier pull's late event) is deleted.
   */
  static Message receive(LocalStack stack, String queueUrl, String marker) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Message m : stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1)
          .waitTimeSeconds(2).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All")).messages()) {
        if (m.body().contains(marker)) {
          return m;
        }
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
    throw new IllegalStateException(marker + " was sent but not found on " + queueUrl);
  }

  /** A String message attribute. */
  static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
