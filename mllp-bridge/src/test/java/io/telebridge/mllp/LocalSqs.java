package io.telebridge.mllp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS peer for the tests: ElasticMQ in memory, in this JVM, on a loopback port (the same
 * server the local stack embeds). One per test class; each test makes its own queues.
 */
public final class LocalSqs implements AutoCloseable {

  private static final AtomicInteger QUEUES = new AtomicInteger();

  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient client;

  private LocalSqs(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
    this.client = SqsClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .endpointOverride(endpoint)
        .build();
  }

  public static LocalSqs start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
        .withAWSRegion("us-east-1").withAWSAccountId("000000000000").start();
    server.waitUntilStarted();
    return new LocalSqs(server, URI.create("http://127.0.0.1:" + port));
  }

  public URI endpoint() {
    return endpoint;
  }

  public SqsClient client() {
    return client;
  }

  /** The environment the bridge needs to reach this server. */
  public Map<String, String> awsEnvironment() {
    return Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
        "AWS_ENDPOINT_URL_SQS", endpoint.toString());
  }

  /** A to-EHR FIFO queue and its FIFO DLQ (redrive after {@code maxReceiveCount}, the backstop). */
  public Queues createToEhrQueues(int maxReceiveCount) {
    int n = QUEUES.incrementAndGet();
    String dlq = client.createQueue(b -> b.queueName("to-ehr-dlq-" + n + ".fifo").attributes(Map.of(
        QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    String queue = client.createQueue(b -> b.queueName("to-ehr-" + n + ".fifo").attributes(Map.of(
        QueueAttributeName.FIFO_QUEUE, "true",
        QueueAttributeName.VISIBILITY_TIMEOUT, "60",
        QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}"))).queueUrl();
    return new Queues(queue, dlq);
  }

  public record Queues(String queueUrl, String deadLetterQueueUrl) {}

  /** Sends one HL7 message the way the translator does: group = patient, attributes from MSH. */
  public void sendHl7(String queueUrl, String patient, String controlId, String messageType, String body) {
    client.sendMessage(b -> b.queueUrl(queueUrl).messageGroupId(patient).messageDeduplicationId(controlId)
        .messageBody(body).messageAttributes(Map.of(
            "controlId", string(controlId),
            "messageType", string(messageType),
            "eventId", string("evt-" + controlId))));
  }

  /** Visible + in flight + delayed. */
  public int depth(String queueUrl) {
    Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return a.values().stream().mapToInt(Integer::parseInt).sum();
  }

  public int visible(String queueUrl) {
    return Integer.parseInt(client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /** Receives (and deletes) everything visible now. */
  public List<Message> drain(String queueUrl) {
    List<Message> out = new ArrayList<>();
    while (true) {
      List<Message> batch = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
          .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL))
          .messages();
      if (batch.isEmpty()) {
        return out;
      }
      for (Message m : batch) {
        out.add(m);
        client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  @Override
  public void close() {
    client.close();
    server.stopAndWait();
  }
}
