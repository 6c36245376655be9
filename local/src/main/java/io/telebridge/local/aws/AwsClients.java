package io.telebridge.local.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWS SDK v2 clients for the local stand-ins: region us-east-1, static test credentials, the
 * url-connection HTTP client, an explicit endpoint.
 */
public final class AwsClients {

  public static final Region REGION = Region.US_EAST_1;
  public static final String ACCESS_KEY_ID = "test";
  public static final String SECRET_ACCESS_KEY = "test";

  private AwsClients() {}

  /** Points any synchronous SDK v2 client builder at a local endpoint. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B local(B builder, URI endpoint) {
    return builder
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder());
  }

  public static SqsClient sqs(URI endpoint) {
    return local(SqsClient.builder(), endpoint).build();
  }

  public static DynamoDbClient dynamoDb(URI endpoint) {
    return local(DynamoDbClient.builder(), endpoint).build();
  }

  /**
   * The DynamoDB client the adapters take (telebridge's JSON-protocol client, built as a function builds it:
   * {@link io.telebridge.aws.AwsClients#dynamoDb()}) for a local endpoint; one per endpoint and process.
   */
  public static io.telebridge.aws.dynamodb.DynamoDb adapterDynamoDb(URI endpoint) {
    return io.telebridge.aws.AwsClients.shared(new io.telebridge.aws.AwsSettings(REGION.id(), java.util.Map.of(
        "AWS_ENDPOINT_URL_DYNAMODB", endpoint.toString(),
        "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY))).dynamoDb();
  }

  public static SecretsManagerClient secretsManager(URI endpoint) {
    return local(SecretsManagerClient.builder(), endpoint).build();
  }
}
