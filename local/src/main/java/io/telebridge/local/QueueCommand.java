package io.telebridge.local;

import static io.telebridge.local.Cli.env;
import static io.telebridge.local.Cli.option;
import static io.telebridge.local.Cli.prettyIfJson;
import static io.telebridge.local.Cli.single;

import io.telebridge.aws.SqsQueues;
import io.telebridge.local.aws.AwsClients;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import tools.jackson.core.JacksonException;

/** {@code peek} and {@code redrive}: a local queue's waiting messages, and a DLQ moved back to its source queue. */
public final class QueueCommand {

  private QueueCommand() {}

  // ------------------------------------------------------------------ peek

  static int peek(List<String> args, PrintStream out, PrintStream err) {
    String endpoint = option(args, "--endpoint", env("TELEBRIDGE_SQS_ENDPOINT", Cli.DEFAULT_SQS_ENDPOINT));
    int max = Integer.parseInt(option(args, "--max", "10"));
    String queue = single(args, "peek <LogicalIdOrQueueName>");
    try (SqsClient sqs = AwsClients.sqs(URI.create(endpoint))) {
      String url = findQueue(sqs, queue);
      if (url == null) {
        err.println("no queue '" + queue + "' at " + endpoint + "; queues there: " + queueNames(sqs));
        return 1;
      }
      Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
      List<Message> seen = peekMessages(sqs, url, max);
      String name = url.substring(url.lastIndexOf('/') + 1);
      out.println("Queue " + name + "  (" + url + ")");
      out.println("  visible " + attributes.get("ApproximateNumberOfMessages")
          + ", in flight " + attributes.get("ApproximateNumberOfMessagesNotVisible")
          + ", delayed " + attributes.get("ApproximateNumberOfMessagesDelayed")
          + "; showing " + seen.size() + " (local synthetic data only)");
      out.println("  note: a peek is a receive: it adds 1 to each shown message's ApproximateReceiveCount");
      int n = 0;
      for (Message m : seen) {
        out.println();
        out.println("--- message " + (++n));
        out.println("MessageId:               " + m.messageId());
        Map<String, String> a = new TreeMap<>(m.attributesAsStrings());
        printIf(out, "MessageGroupId:          ", a.remove("MessageGroupId"));
        printIf(out, "MessageDeduplicationId:  ", a.remove("MessageDeduplicationId"));
        printIf(out, "SequenceNumber:          ", a.remove("SequenceNumber"));
        String sent = a.remove("SentTimestamp");
        if (sent != null) {
          out.println("SentTimestamp:           " + sent + " (" + Instant.ofEpochMilli(Long.parseLong(sent)) + ")");
        }
        printIf(out, "ApproximateReceiveCount: ", a.remove("ApproximateReceiveCount"));
        if (!a.isEmpty()) {
          out.println("Attributes:              " + a);
        }
        for (Map.Entry<String, MessageAttributeValue> e : new TreeMap<>(m.messageAttributes()).entrySet()) {
          MessageAttributeValue v = e.getValue();
          String value = v.stringValue() != null ? v.stringValue()
              : v.binaryValue() != null ? "(" + v.binaryValue().asByteArray().length + " bytes)" : "";
          out.println("MessageAttribute:        " + e.getKey() + " (" + v.dataType() + ") = " + value);
        }
        out.println("Body:");
        // HL7 v2 separates segments with CR alone, which a terminal would print over one line
        out.println(prettyIfJson(m.body()).replace("\r\n", "\n").replace('\r', '\n'));
      }
      return 0;
    } catch (SdkClientException e) {
      err.println("nothing answers at " + endpoint + ": is the local stack running? (./tb local)");
      return 1;
    }
  }

  /** A peek through the one way to look at a queue ({@link SqsQueues#peek}). */
  static List<Message> peekMessages(SqsClient sqs, String url, int max) {
    return new SqsQueues(sqs).peek(url, max);
  }

  // ------------------------------------------------------------------ redrive

  static int redrive(List<String> args, PrintStream out, PrintStream err) {
    String endpoint = option(args, "--endpoint", env("TELEBRIDGE_SQS_ENDPOINT", Cli.DEFAULT_SQS_ENDPOINT));
    String to = option(args, "--to", null);
    int max = Integer.parseInt(option(args, "--max", Integer.toString(Integer.MAX_VALUE)));
    boolean aws = args.remove("--aws");
    String dlq = single(args, "redrive <DeadLetterQueue> [--to Queue] [--aws]");
    if (aws) {
      endpoint = "AWS (default credentials and region)";
    }
    try (SqsClient sqs = aws ? awsSqs() : AwsClients.sqs(URI.create(endpoint))) {
      String dlqUrl = findQueue(sqs, dlq);
      if (dlqUrl == null) {
        err.println("no queue '" + dlq + "' at " + endpoint + "; queues there: " + queueNames(sqs));
        return 1;
      }
      String targetUrl;
      if (to != null) {
        targetUrl = findQueue(sqs, to);
        if (targetUrl == null) {
          err.println("no queue '" + to + "' at " + endpoint);
          return 1;
        }
      } else {
        List<String> sources = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlqUrl)).queueUrls();
        if (sources.size() != 1) {
          err.println(dlq + " is the dead-letter queue of " + sources.size() + " queue(s) " + sources
              + "; say which with --to");
          return 1;
        }
        targetUrl = sources.get(0);
      }
      boolean fifo = targetUrl.endsWith(".fifo");
      List<SqsQueues.Moved> redriven = new SqsQueues(sqs).redrive(dlqUrl, targetUrl, id -> true, max);
      for (SqsQueues.Moved m : redriven) {
        out.println("moved " + m.deadLetterMessageId() + " -> " + m.newMessageId()
            + (fifo ? " (group " + m.groupId() + ")" : ""));
      }
      int moved = redriven.size();
      out.println(moved + " message(s) moved from " + dlqUrl.substring(dlqUrl.lastIndexOf('/') + 1) + " to "
          + targetUrl.substring(targetUrl.lastIndexOf('/') + 1));
      return 0;
    } catch (SdkClientException e) {
      err.println("nothing answers at " + endpoint + ": is the local stack running? (./tb local)");
      return 1;
    }
  }

  static String redriveDeduplicationId(String originalDeduplicationId, String deadLetterMessageId) {
    return SqsQueues.deduplicationId(originalDeduplicationId, deadLetterMessageId);
  }

  /** A client for the real AWS account: the SDK's default credentials and region (AWS_PROFILE, AWS_REGION...). */
  static SqsClient awsSqs() {
    return SqsClient.builder()
        .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }

  /**
   * The queue's URL by name, name + ".fifo", a case-insensitive match of the local queue names, the
   * one name ending in "-<key>", or the template logical id the local stack tagged it with.
   */
  public static String findQueue(SqsClient sqs, String key) {
    if (key.startsWith("https://") || key.startsWith("http://")) {
      return key;
    }
    for (String candidate : List.of(key, key + ".fifo")) {
      try {
        return sqs.getQueueUrl(b -> b.queueName(candidate)).queueUrl();
      } catch (QueueDoesNotExistException e) {
        // next
      }
    }
    List<String> urls = sqs.listQueues().queueUrls();
    List<String> suffixMatches = new java.util.ArrayList<>();
    for (String url : urls) {
      String name = url.substring(url.lastIndexOf('/') + 1);
      if (name.equalsIgnoreCase(key) || name.equalsIgnoreCase(key + ".fifo")) {
        return url;
      }
      // named queues ("<stack>-to-platform-dlq.fifo"): the part after the stack name is enough
      String bare = name.endsWith(".fifo") ? name.substring(0, name.length() - 5) : name;
      if (bare.toLowerCase(java.util.Locale.ROOT).endsWith("-" + key.toLowerCase(java.util.Locale.ROOT))) {
        suffixMatches.add(url);
      }
    }
    if (suffixMatches.size() == 1) {
      return suffixMatches.getFirst();
    }
    for (String url : urls) { // a template logical id (queues with an explicit QueueName, e.g. FromEhrQueue)
      try {
        String logicalId = sqs.listQueueTags(b -> b.queueUrl(url)).tags()
            .get(io.telebridge.local.aws.SqsQueueProvisioner.LOGICAL_ID_TAG);
        if (key.equalsIgnoreCase(logicalId)) {
          return url;
        }
      } catch (software.amazon.awssdk.services.sqs.model.SqsException e) {
        // no tags: next
      }
    }
    return null;
  }

  private static List<String> queueNames(SqsClient sqs) {
    return sqs.listQueues().queueUrls().stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).toList();
  }

  private static void printIf(PrintStream out, String label, String value) {
    if (value != null) {
      out.println(label + value);
    }
  }

}
