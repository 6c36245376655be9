package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK clients are built once per container: once per AwsClients, and one AwsClients per connection. */
class AwsClientsTest {

  private static Map<String, String> env(String sqsEndpoint, String queueUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    env.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint);
    env.put("QUEUE_URL", queueUrl);
    return env;
  }

  @Test
  void eachClientIsBuiltOnceAndThenReused() {
    AwsClients clients = new AwsClients(AwsSettings.fromEnvironment(env("http://127.0.0.1:2", "q")));
    assertSame(clients.sqs(), clients.sqs());
    assertSame(clients.dynamoDb(), clients.dynamoDb());
    assertSame(clients.secretsManager(), clients.secretsManager());
    assertSame(clients.scheduler(), clients.scheduler());
    assertSame(clients.credentials(), clients.credentials());
  }

  @Test
  void handlersOfOneConnectionShareOneInstanceWhateverTheirOtherVariables() {
    AwsClients a = AwsClients.shared(AwsSettings.fromEnvironment(env("http://127.0.0.1:3", "queue-a")));
    AwsClients b = AwsClients.shared(AwsSettings.fromEnvironment(env("http://127.0.0.1:3", "queue-b")));
    assertSame(a, b);
    assertSame(a.sqs(), b.sqs());
  }

  @Test
  void anotherEndpointOrRegionIsAnotherConnection() {
    AwsClients a = AwsClients.shared(AwsSettings.fromEnvironment(env("http://127.0.0.1:4", "q")));
    AwsClients b = AwsClients.shared(AwsSettings.fromEnvironment(env("http://127.0.0.1:5", "q")));
    Map<String, String> west = env("http://127.0.0.1:4", "q");
    west.put("AWS_REGION", "us-west-2");
    AwsClients c = AwsClients.shared(AwsSettings.fromEnvironment(west));
    assertNotSame(a, b);
    assertNotSame(a, c);
    assertNotSame(a.sqs(), b.sqs());
  }

  @Test
  void theClaimChecksS3ClientIsBuiltOncePerConnection() {
    AwsSettings settings = AwsSettings.fromEnvironment(env("http://127.0.0.1:6", "q"));
    assertSame(S3PayloadStore.client(settings), S3PayloadStore.client(AwsSettings.fromEnvironment(env("http://127.0.0.1:6", "other"))));
  }
}
