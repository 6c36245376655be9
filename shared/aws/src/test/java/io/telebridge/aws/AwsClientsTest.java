package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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

  private static Map<String, String> lambda(String region, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", region);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void withoutKeysButWithTheContainerEndpointTheCredentialsComeFromThatEndpoint() {
    assertInstanceOf(ContainerCredentialsProvider.class, new AwsClients(new AwsSettings("us-east-1",
        lambda("us-east-1", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds"))).credentials());
    assertInstanceOf(DefaultCredentialsProvider.class,
        new AwsClients(new AwsSettings("us-east-1", lambda("us-east-1"))).credentials());
    assertInstanceOf(StaticCredentialsProvider.class, new AwsClients(new AwsSettings("us-east-1",
        lambda("us-east-1", "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds"))).credentials());
  }

  @Test
  void aCallThroughTheEndpointOverrideIsSignedForTheClientsRegionAndService() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      seen.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
      byte[] out = "{\"SecretString\":\"s\"}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    try {
      Map<String, String> env = env("http://127.0.0.1:1", "q");
      env.put("AWS_REGION", "eu-west-1");
      env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort());
      AwsClients clients = new AwsClients(AwsSettings.fromEnvironment(env));
      assertEquals("s", clients.secretsManager().getSecretValue(b -> b.secretId("x")).secretString());
      assertEquals(1, seen.size());
      assertTrue(seen.get(0).startsWith("/ AWS4-HMAC-SHA256 Credential=test/"), seen.get(0));
      assertTrue(seen.get(0).contains("/eu-west-1/secretsmanager/aws4_request"), seen.get(0));
    } finally {
      server.stop(0);
    }
  }
}
