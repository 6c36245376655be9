package io.telebridge.mllp.bridge;

import io.telebridge.aws.AwsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The to-EHR FIFO queue and its DLQ on SQS (or ElasticMQ): long polling, batch deletes, visibility
 * changes, and the explicit dead-letter send.
 */
public final class SqsOutboundQueue implements OutboundQueue {

  /** SQS allows 10 message attributes per message. */
  static final int MAX_ATTRIBUTES = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final String deadLetterQueueUrl;

  public SqsOutboundQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.deadLetterQueueUrl = deadLetterQueueUrl;
  }

  /**
   * An SQS client for long polling: the url-connection HTTP client with a socket timeout above the
   * poll wait (the shared {@code AwsClients} caps calls at 5 s, too short for a 20 s poll).
   */
  public static SqsClient client(AwsSettings settings, Duration pollWait) {
    Duration socket = pollWait.plusSeconds(10);
    SqsClientBuilder builder = SqsClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(socket))
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(socket.plusSeconds(2))
            .apiCallTimeout(socket.plusSeconds(20))
            .build());
    settings.endpointFor("SQS").ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(AwsSettings settings) {
    return settings.staticCredentials()
        .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
            c[2] == null || c[2].isBlank()
                ? AwsBasicCredentials.create(c[0], c[1])
                : AwsSessionCredentials.create(c[0], c[1], c[2])))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  @Override
  public List<QueuedMessage> receive(int max, Duration wait, Duration visibility) {
    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
        .maxNumberOfMessages(max)
        .waitTimeSeconds((int) wait.toSeconds())
        .visibilityTimeout((int) visibility.toSeconds())
        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
        .messageAttributeNames("All")).messages();
    List<QueuedMessage> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      Map<String, String> attributes = new LinkedHashMap<>();
      m.messageAttributes().forEach((k, v) -> {
        if (v.stringValue() != null) {
          attributes.put(k, v.stringValue());
        }
      });
      String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
      out.add(new QueuedMessage(m.messageId(), m.receiptHandle(),
          m.attributes().getOrDefault(MessageSystemAttributeName.MESSAGE_GROUP_ID, ""), m.body(), attributes,
          count == null ? 1 : Integer.parseInt(count)));
    }
    return out;
  }

  @Override
  public void delete(List<QueuedMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(messages.get(i).receiptHandle()).build());
    }
    for (int from = 0; from < entries.size(); from += 10) {
      List<DeleteMessageBatchRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + 10));
      DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
      if (!response.failed().isEmpty()) {
        // codes only; the receipt handles and ids are ours
        throw new IllegalStateException("SQS refused " + response.failed().size() + " delete(s): "
            + response.failed().get(0).code());
      }
    }
  }

  @Override
  public void retryAfter(QueuedMessage message, Duration delay) {
    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
        .visibilityTimeout((int) Math.min(43_200, delay.toSeconds())));
  }

  @Override
  public void deadLetter(QueuedMessage message, Map<String, String> attributes) {
    Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty() || values.size() == MAX_ATTRIBUTES) {
        continue; // SQS rejects empty values and more than 10 attributes
      }
      values.put(e.getKey(), MessageAttributeValue.builder().dataType("String").stringValue(e.getValue()).build());
    }
    SendMessageRequest.Builder send = SendMessageRequest.builder().queueUrl(deadLetterQueueUrl)
        .messageBody(message.body()).messageAttributes(values);
    if (deadLetterQueueUrl.endsWith(".fifo")) {
      send.messageGroupId(message.groupId().isEmpty() ? "ungrouped" : message.groupId())
          .messageDeduplicationId(message.messageId());
    }
    sqs.sendMessage(send.build());
    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
  }
}
