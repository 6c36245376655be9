package io.telebridge.aws;

import io.telebridge.aws.dynamodb.DynamoDb;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SDK clients of one connection (region, endpoints, credentials), each built once, on first use, on
 * the url-connection HTTP client (smallest cold start; no Apache or Netty client is packaged).
 *
 * <p>A function's handlers take theirs from {@link #shared(AwsSettings)}: one instance per connection and
 * process, so the handlers of a container (the console wires the ops API and the review use case) share
 * one client per service; those clients are never closed. A component that owns and closes its clients
 * (the MLLP bridge's queue loop) builds its own with {@code new AwsClients(settings)}; the bridge's journal and
 * sent ledger, which never close theirs, share one from {@link #shared(AwsSettings)}.
 *
 * <p>DynamoDB is no SDK client: {@link #dynamoDb()} is the JSON-protocol client of {@link DynamoDb}.
 *
 * <p>Each service module is an optional dependency of this module: a method here links its service's
 * classes only when called, so a function without, say, the Scheduler module never calls {@link #scheduler()}.
 */
public final class AwsClients {

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  /** One instance per connection and process: the key is the region, the endpoint overrides and the credentials. */
  private static final ConcurrentMap<Map<String, String>, AwsClients> SHARED = new ConcurrentHashMap<>();

  private final AwsSettings settings;
  private final ConcurrentMap<String, Object> clients = new ConcurrentHashMap<>();

  public AwsClients(AwsSettings settings) {
    this.settings = settings;
  }

  /** The container's clients for this connection (built once, shared by every handler; never close them). */
  public static AwsClients shared(AwsSettings settings) {
    return SHARED.computeIfAbsent(connectionOf(settings), k -> new AwsClients(settings));
  }

  public SqsClient sqs() {
    return client("SQS", SqsClient.class, () -> configure(SqsClient.builder(), "SQS").build());
  }

  /**
   * DynamoDB over its JSON protocol ({@link DynamoDb}: no SDK service module): this connection's region,
   * credentials and endpoint override ({@code AWS_ENDPOINT_URL_DYNAMODB} / {@code AWS_ENDPOINT_URL}), the
   * url-connection client, 2 s per attempt (connect and read) and 5 s per call, like the SDK clients here.
   */
  public DynamoDb dynamoDb() {
    return client("DYNAMODB", DynamoDb.class, () -> new DynamoDb(new SignedHttp("dynamodb", settings.region(),
        SignedHttp.Style.STANDARD, credentials(), UrlConnectionHttpClient.builder()
            .connectionTimeout(ATTEMPT_TIMEOUT).socketTimeout(ATTEMPT_TIMEOUT).build(),
        Clock.systemUTC(), CALL_TIMEOUT), settings.endpointFor("DYNAMODB").orElse(null)));
  }

  public SecretsManagerClient secretsManager() {
    return client("SECRETS_MANAGER", SecretsManagerClient.class,
        () -> configure(SecretsManagerClient.builder(), "SECRETS_MANAGER").build());
  }

  /** EventBridge Scheduler (the pre-visit context pulls). */
  public software.amazon.awssdk.services.scheduler.SchedulerClient scheduler() {
    return client("SCHEDULER", software.amazon.awssdk.services.scheduler.SchedulerClient.class,
        () -> configure(software.amazon.awssdk.services.scheduler.SchedulerClient.builder(), "SCHEDULER").build());
  }

  /**
   * The client (or other per-connection object) named {@code name}, built by {@code build} on first use and
   * the same one afterwards; for clients configured outside this class (the claim checks' S3 client).
   */
  <C> C client(String name, Class<C> type, Supplier<? extends C> build) {
    Object existing = clients.get(name);
    if (existing == null) {
      // not computeIfAbsent: a build may ask for another entry (the credentials) of the same map
      synchronized (clients) {
        existing = clients.get(name);
        if (existing == null) {
          existing = build.get();
          clients.put(name, existing);
        }
      }
    }
    return type.cast(existing);
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

  /**
   * The credentials every client of this connection uses (one provider, also for signing other requests,
   * e.g. HealthLake's SigV4): the static keys of the environment, else the SDK's default chain.
   */
  public AwsCredentialsProvider credentials() {
    return client("CREDENTIALS", AwsCredentialsProvider.class, () -> settings.staticCredentials()
        .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
            c[2] == null || c[2].isBlank()
                ? AwsBasicCredentials.create(c[0], c[1])
                : AwsSessionCredentials.create(c[0], c[1], c[2])))
        .orElseGet(() -> settings.environment().containsKey("AWS_CONTAINER_CREDENTIALS_FULL_URI")
            // Lambda with SnapStart: no keys in the environment, the container credentials endpoint instead;
            // the one provider the default chain would reach there, without probing the system properties,
            // web identity (a classpath check for STS) and the profile files before it
            ? ContainerCredentialsProvider.builder().build()
            : DefaultCredentialsProvider.builder().build()));
  }

  /** What tells one connection from another: the region, the endpoint overrides, the static credentials. */
  static Map<String, String> connectionOf(AwsSettings settings) {
    Map<String, String> key = new TreeMap<>();
    key.put("region", settings.region());
    settings.environment().forEach((k, v) -> {
      if (k.startsWith("AWS_ENDPOINT_URL") || k.equals("AWS_ACCESS_KEY_ID") || k.equals("AWS_SECRET_ACCESS_KEY")
          || k.equals("AWS_SESSION_TOKEN")) {
        key.put(k, v);
      }
    });
    return Map.copyOf(key);
  }
}
