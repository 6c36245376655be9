package io.telebridge.aws;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients once per container, all on the url-connection HTTP client (smallest
 * cold start; no Apache or Netty client is packaged).
 */
public final class AwsClients {

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final AwsSettings settings;

  public AwsClients(AwsSettings settings) {
    this.settings = settings;
  }

  public SqsClient sqs() {
    return configure(SqsClient.builder(), "SQS").build();
  }

  public DynamoDbClient dynamoDb() {
    return configure(DynamoDbClient.builder(), "DYNAMODB").build();
  }

  public SecretsManagerClient secretsManager() {
    return configure(SecretsManagerClient.builder(), "SECRETS_MANAGER").build();
  }

  /** EventBridge Scheduler (the pre-visit context pulls). */
  public software.amazon.awssdk.services.scheduler.SchedulerClient scheduler() {
    return configure(software.amazon.awssdk.services.scheduler.SchedulerClient.builder(), "SCHEDULER").build();
  }

  /** Region, credentials, the url-connection client, timeouts and the endpoint override of one service. */
  <B extends AwsSyncClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
      B configure(B builder, String serviceId) {
    builder.httpClientBuilder(UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(5)));
    builder.region(Region.of(settings.region()));
    builder.credentialsProvider(credentials());
    builder.overrideConfiguration(ClientOverrideConfiguration.builder()
        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
        .apiCallTimeout(CALL_TIMEOUT)
        .build());
    settings.endpointFor(serviceId).ifPresent(builder::endpointOverride);
    return builder;
  }

  /** The credentials every client of this container uses (also for signing other requests, e.g. HealthLake's SigV4). */
  public AwsCredentialsProvider credentials() {
    return settings.staticCredentials()
        .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
            c[2] == null || c[2].isBlank()
                ? AwsBasicCredentials.create(c[0], c[1])
                : AwsSessionCredentials.create(c[0], c[1], c[2])))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }
}
