package io.telebridge.local;

import io.telebridge.local.aws.AwsClients;
import io.telebridge.local.aws.DevSecrets;
import io.telebridge.local.aws.ProvisionedResource;
import io.telebridge.local.aws.ResourceProvisioner;
import io.telebridge.local.http.ApiRoute;
import io.telebridge.local.http.HttpApiServer;
import io.telebridge.local.http.SigV4Verifier;
import io.telebridge.local.lambda.LocalFunction;
import io.telebridge.local.platform.PlatformSimulator;
import io.telebridge.local.template.Parameters;
import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.Template;
import io.telebridge.local.template.TemplateResource;
import io.telebridge.mllp.MllpBridgeService;
import io.telebridge.mllp.sim.EhrSimulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The Docker-free local stack: reads template.yaml, starts the stand-ins (ElasticMQ in this JVM,
 * moto as a child process, both keeping their state in the data directory), creates the template's queues, tables and development secrets in
 * them, and runs the template's Java functions in this JVM behind their triggers (HTTP API routes,
 * SQS event source mappings).
 *
 * <p>Its parts: {@link StandIns} (moto and ElasticMQ, and the faults injected into them),
 * {@link StackResources} (queues, tables, buckets, schedule groups; Ref/GetAtt of the rest),
 * {@link FunctionBinder} (functions and their triggers, with their concurrency), {@link LocalBridge}
 * (the MLLP bridge and the EHR simulator), {@link FhirWiring} (the FHIR server and the parameters that point
 * the functions at it). Over 400 lines for a reason: what is left is the boot
 * order (the template's parameters resolved against the stand-ins, the FHIR side and the platform
 * simulator) and the stack's public face, some 45 accessors the tests and tools call
 * ({@code queueUrl}, {@code tableName}, {@code function}, {@code sqs()}, …), each a few lines.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Path.of("template.yaml")))) {
 *   URI webhook = stack.apiUrl("/v1/events");
 *   String queueUrl = stack.queueUrl("IntakeQueue");
 *   SqsClient sqs = stack.sqs();
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  // package-private: the parts (StackResources, FunctionBinder, LocalBridge) work on them
  final LocalStackOptions options;
  final Template template;
  final Path dataDir;
  private final StandIns standIns;
  URI motoEndpoint;
  private URI sqsEndpoint;
  SqsClient sqs;
  DynamoDbClient dynamo;
  private SecretsManagerClient secrets;
  StackResolver resolver;
  private Map<String, String> parameters = Map.of();
  private final Map<String, String> devSecretArns = new LinkedHashMap<>();
  final Map<String, ProvisionedResource> queues = new LinkedHashMap<>();
  final Map<String, ProvisionedResource> tables = new LinkedHashMap<>();
  final Map<String, LocalFunction> functions = new LinkedHashMap<>();
  final List<ApiRoute> routes = new ArrayList<>();
  final List<EventSource> eventSources = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private HttpApiServer api;
  private PlatformSimulator platformSimulator;
  private io.telebridge.local.fhir.LocalFhir fhir;
  final Map<String, String> absentFunctions = new LinkedHashMap<>();
  private final LocalBridge bridge = new LocalBridge(this);
  private boolean closed;

  private LocalStack(LocalStackOptions options, Template template, Path dataDir) {
    this.options = options;
    this.template = template;
    this.dataDir = dataDir;
    this.standIns = new StandIns(options, dataDir);
  }

  /** Starts everything; on failure, stops what was started and rethrows. */
  public static LocalStack start(LocalStackOptions options) throws IOException {
    long started = System.nanoTime();
    Template template = Template.load(options.template());
    Path dataDir = options.dataDir();
    Files.createDirectories(dataDir);
    LocalStack stack = new LocalStack(options, template, dataDir);
    try {
      stack.boot();
    } catch (IOException | RuntimeException | Error e) {
      stack.close();
      throw e;
    }
    LOG.info("local stack up in {} ms", (System.nanoTime() - started) / 1_000_000);
    return stack;
  }

  private void boot() throws IOException {
    Logging.quietThirdParty();
    String host = options.host();
    standIns.spawnMoto(); // first: moto's Python start-up overlaps with ElasticMQ's
    motoEndpoint = standIns.motoEndpoint();
    fhir = FhirWiring.start(options, template, dataDir); // the FHIR server (≈ 20 s to minutes) and Keycloak start in the background; the stack does not wait
    standIns.startElasticMq();
    sqsEndpoint = standIns.sqsEndpoint();
    standIns.awaitMoto();
    sqs = AwsClients.sqs(sqsEndpoint);
    dynamo = AwsClients.dynamoDb(motoEndpoint);
    secrets = AwsClients.secretsManager(motoEndpoint);

    DevSecrets devSecrets = new DevSecrets(secrets);
    Map<String, String> overrides = new LinkedHashMap<>(options.parameters());
    if (template.parameters().containsKey(TENANTS_PARAMETER)) {
      // the EHR's messages belong to the tenant of the sample events (events/*.json), unless told otherwise
      overrides.putIfAbsent(TENANTS_PARAMETER, "{\"" + Cli.DEFAULT_TENANT + "\": {}}");
    }
    if (template.parameters().containsKey(REVIEW_CALLERS_PARAMETER)) {
      // the local developer reviews the sample tenant's cases
      overrides.putIfAbsent(REVIEW_CALLERS_PARAMETER, "{\"" + LOCAL_USER_ARN + "\": [\"" + Cli.DEFAULT_TENANT + "\"]}");
    }
    startPlatformSimulator(overrides);
    FhirWiring.parameters(options, template, fhir, overrides);
    if (FhirWiring.needsSmartKeySecret(template, fhir, overrides)) {
      // the SMART client key the EHR door (and Keycloak) know, as a secret (the parameter has a Default: the
      // development-secret fallback below never sees it)
      String arn = devSecrets.put(DevSecrets.secretName(options.stackName(), FhirWiring.SMART_KEY_PARAMETER),
          FhirWiring.smartKey(options, dataDir));
      devSecretArns.put(FhirWiring.SMART_KEY_PARAMETER, arn);
      overrides.put(FhirWiring.SMART_KEY_PARAMETER, arn);
    }
    parameters = Parameters.resolve(template, overrides, name -> {
      if (!name.endsWith("SecretArn")) {
        return null;
      }
      String devSecret = name.equals(PLATFORM_SECRET_PARAMETER) ? options.platformSigningSecret() : options.devSigningSecret();
      String value = options.secretValues().getOrDefault(name, name.equals(WEBHOOK_SECRET_PARAMETER)
          // the intake's secret is one per tenant: the development secret signs the sample tenant's events
          ? "{\"tenants\":{\"" + jsonEscape(Cli.DEFAULT_TENANT) + "\":{\"current\":\"" + jsonEscape(devSecret) + "\"}}}"
          : "{\"current\":\"" + jsonEscape(devSecret) + "\"}");
      if (name.equals(FhirWiring.SMART_KEY_PARAMETER)) {
        try { // the context function's SMART client key: the development key the EHR door (and Keycloak) know
          value = FhirWiring.smartKey(options, dataDir);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      String arn = devSecrets.put(DevSecrets.secretName(options.stackName(), name), value);
      devSecretArns.put(name, arn);
      return arn;
    });
    resolver = new StackResolver(template, options.stackName(), parameters, options.imports());
    StackResources resources = new StackResources(this);
    Map<String, ResourceProvisioner> provisioners = resources.provisioners();
    resources.registerOthers(provisioners.keySet());
    resources.provision(provisioners);
    // SQS keeps a FIFO deduplication id 5 minutes, across an ElasticMQ restart too
    standIns.trackDeduplication(queues.values().stream().map(q -> q.attributes().get("QueueName")).toList());
    if (options.runFunctions()) {
      new FunctionBinder(this).loadFunctions();
      // the console's pages: a browser on this machine is the local developer (local only; in AWS, IAM)
      SigV4Verifier.Credentials local = localCredentials();
      api = HttpApiServer.start(host, options.apiPort(), routes,
          SigV4Verifier.forApiGateway(List.of(local), StackResolver.REGION),
          new SigV4Verifier.Identity(local.accessKey(), local.accountId(), local.userArn(), local.callerId()));
      for (EventSource source : eventSources) {
        source.start();
      }
      if (options.runBridge()) {
        bridge.start();
      }
    }
  }

  /** The local FHIR side (server, doors, Keycloak, dev key), or null with {@code --no-fhir}. */
  public io.telebridge.local.fhir.LocalFhir fhir() {
    return fhir;
  }

  /**
   * The FHIR base URL the local stack gives its functions by default: the "HealthLake" door
   * ({@code http://127.0.0.1:2590/datastore/ds-local-0001/r4/}, SigV4), or the EHR door
   * ({@code …/ehr/r4}, SMART) when Keycloak runs; null with {@code --no-fhir}.
   */
  public String fhirBaseUrl() {
    return FhirWiring.baseUrl(options, fhir);
  }

  // ------------------------------------------------------------------ the platform simulator

  static final String PLATFORM_ENDPOINT_PARAMETER = "PlatformEndpointUrl";
  static final String TENANTS_PARAMETER = "Tenants";
  static final String REVIEW_CALLERS_PARAMETER = "ReviewCallerTenants";
  static final String PLATFORM_SECRET_PARAMETER = "PlatformSigningSecretArn";
  static final String WEBHOOK_SECRET_PARAMETER = "WebhookSecretArn";

  /**
   * When the template has the {@code PlatformEndpointUrl} parameter and nobody set it: the platform
   * simulator starts and the parameter points at it (or, with functions or the simulator off, at
   * where it would listen).
   */
  private void startPlatformSimulator(Map<String, String> overrides) throws IOException {
    if (!template.parameters().containsKey(PLATFORM_ENDPOINT_PARAMETER) || overrides.containsKey(PLATFORM_ENDPOINT_PARAMETER)) {
      return;
    }
    if (!options.runFunctions() || !options.runPlatformSimulator()) {
      overrides.put(PLATFORM_ENDPOINT_PARAMETER, "http://" + options.host() + ":" + options.platformSimulatorPort()
          + PlatformSimulator.EVENTS_PATH);
      return;
    }
    try {
      platformSimulator = PlatformSimulator.start(options.host(), options.platformSimulatorPort(),
          options.platformSigningSecret(), dataDir.resolve("platform-simulator"), options.platformConsole());
    } catch (java.net.BindException e) {
      throw new IOException("the platform simulator cannot listen on " + options.host() + ":"
          + options.platformSimulatorPort() + ": in use? Choose another with --platform-port", e);
    }
    overrides.put(PLATFORM_ENDPOINT_PARAMETER, platformSimulator.eventsUrl().toString());
    LOG.info("platform simulator on {} ({} is the endpoint)", platformSimulator.baseUrl(), platformSimulator.eventsUrl());
  }

  /** The platform simulator, or null (the template has no platform endpoint, or another one was given). */
  public PlatformSimulator platformSimulator() {
    return platformSimulator;
  }

  /**
   * Functions of the template that are not run because their module is not in this checkout (no
   * handler class, no built jar, no {@code pom.xml} where the CodeUri's module would be), with the
   * reason. Not warnings: a branch may declare a function whose module another branch brings.
   */
  public Map<String, String> absentFunctions() {
    return Collections.unmodifiableMap(absentFunctions);
  }


  /** The AWS_* variables every local function gets. */
  public Map<String, String> awsEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", StackResolver.REGION);
    env.put("AWS_DEFAULT_REGION", StackResolver.REGION);
    env.put("AWS_ACCESS_KEY_ID", AwsClients.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", AwsClients.SECRET_ACCESS_KEY);
    env.put("AWS_ENDPOINT_URL", motoEndpoint.toString());
    env.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint.toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", motoEndpoint.toString());
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", motoEndpoint.toString());
    env.put("AWS_ENDPOINT_URL_SCHEDULER", motoEndpoint.toString());
    return env;
  }

  /** The identity API Gateway reports for a request signed with the local stack's credentials. */
  public static final String LOCAL_USER_ARN = "arn:aws:iam::" + StackResolver.ACCOUNT_ID + ":user/local-developer";

  /**
   * The credentials the local stack gives its functions ({@link #awsEnvironment()}), which are also
   * the ones the local API's IAM authorizer accepts: sign review API calls with them.
   */
  public static SigV4Verifier.Credentials localCredentials() {
    return new SigV4Verifier.Credentials(AwsClients.ACCESS_KEY_ID, AwsClients.SECRET_ACCESS_KEY,
        StackResolver.ACCOUNT_ID, LOCAL_USER_ARN, "AIDALOCALDEVELOPER");
  }


  void warn(String message) {
    warnings.add(message);
    LOG.warn(message);
  }

  private static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  // ------------------------------------------------------------------ the MLLP bridge and the EHR simulator (LocalBridge)

  /** The bundled EHR simulator, or null (no bridge, or an external EHR). */
  public EhrSimulator ehrSimulator() {
    return bridge.ehrSimulator();
  }

  /** The bridge's MLLP listener port (the return path), or -1 when it does not run. */
  public int mllpListenerPort() {
    return bridge.mllpListenerPort();
  }

  /** The MLLP bridge running in this JVM, or null. */
  public MllpBridgeService mllpBridge() {
    return bridge.mllpBridge();
  }

  /** The environment the bridge was started with (empty when it does not run). */
  public Map<String, String> bridgeEnvironment() {
    return bridge.bridgeEnvironment();
  }

  /** A stable 10-character id, like an API Gateway id. */
  static String apiId(String logicalId) {
    return StackResources.apiId(logicalId);
  }

  // ------------------------------------------------------------------ accessors

  public LocalStackOptions options() {
    return options;
  }

  public Template template() {
    return template;
  }

  public StackResolver resolver() {
    return resolver;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The local API, e.g. {@code http://127.0.0.1:3000}; {@code null} when functions do not run. */
  public URI apiBaseUrl() {
    return api == null ? null : api.baseUrl();
  }

  /** {@code apiUrl("/v1/events")} -> {@code http://127.0.0.1:3000/v1/events}. */
  public URI apiUrl(String path) {
    return apiBaseUrl().resolve(path.startsWith("/") ? path : "/" + path);
  }

  /** ElasticMQ's SQS endpoint (or the one given instead). */
  public URI sqsEndpoint() {
    return sqsEndpoint;
  }

  /** moto's endpoint (DynamoDB, Secrets Manager, Scheduler, ...). */
  public URI motoEndpoint() {
    return motoEndpoint;
  }

  /** The development webhook signing secret (the {@code current} value of the dev secret). */
  public String devSigningSecret() {
    return options.devSigningSecret();
  }

  /** ARNs of the development secrets created for {@code *SecretArn} parameters, by parameter. */
  public Map<String, String> devSecretArns() {
    return Collections.unmodifiableMap(devSecretArns);
  }

  /** Parameter values in force (defaults, overrides, dev secret ARNs). */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** A queue's URL by logical id, or by queue name. */
  public String queueUrl(String logicalIdOrName) {
    return queue(logicalIdOrName).ref();
  }

  public String queueArn(String logicalIdOrName) {
    return queue(logicalIdOrName).attributes().get("Arn");
  }

  public String queueName(String logicalIdOrName) {
    return queue(logicalIdOrName).attributes().get("QueueName");
  }

  private ProvisionedResource queue(String key) {
    ProvisionedResource q = queues.get(key);
    if (q != null) {
      return q;
    }
    for (ProvisionedResource candidate : queues.values()) {
      if (candidate.attributes().get("QueueName").equals(key)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no queue '" + key + "' in the template; queues: " + queues.keySet());
  }

  /** Queue URLs by logical id, in template order. */
  public Map<String, String> queueUrls() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String id : template.resources().keySet()) {
      ProvisionedResource q = queues.get(id);
      if (q != null) {
        out.put(id, q.ref());
      }
    }
    return out;
  }

  /**
   * The queue a developer most likely wants to look at: the first (in template order) that has a
   * redrive policy, i.e. a work queue rather than a dead-letter queue.
   */
  public Optional<String> mainQueue() {
    for (TemplateResource r : template.resources().values()) {
      if (queues.containsKey(r.logicalId()) && r.properties().containsKey("RedrivePolicy")) {
        return Optional.of(r.logicalId());
      }
    }
    return queueUrls().keySet().stream().findFirst();
  }

  public String tableName(String logicalId) {
    ProvisionedResource t = tables.get(logicalId);
    if (t == null) {
      throw new IllegalArgumentException("no table '" + logicalId + "' in the template; tables: " + tables.keySet());
    }
    return t.ref();
  }

  /** Table names by logical id, in template order. */
  public Map<String, String> tableNames() {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : template.resources().entrySet()) {
      String id = e.getKey();
      ProvisionedResource t = tables.get(id);
      if (t != null && "AWS::DynamoDB::Table".equals(e.getValue().type())) { // not the buckets, groups... beside them
        out.put(id, t.ref());
      }
    }
    return out;
  }

  public LocalFunction function(String logicalId) {
    LocalFunction fn = functions.get(logicalId);
    if (fn == null) {
      throw new IllegalArgumentException("no local function '" + logicalId + "'; functions: " + functions.keySet());
    }
    return fn;
  }

  public Collection<LocalFunction> functions() {
    return Collections.unmodifiableCollection(functions.values());
  }

  /** The local function with this ARN (for event sources that target functions by ARN). */
  public Optional<LocalFunction> functionByArn(String arn) {
    // a qualified ARN (…:function:name:alias, as SAM's !Ref Fn.Alias gives) names the same local function
    String unqualified = arn.chars().filter(c -> c == ':').count() > 6 ? arn.substring(0, arn.lastIndexOf(':')) : arn;
    return functions.values().stream().filter(f -> f.spec().arn().equals(unqualified)).findFirst();
  }

  /** The environment a function's handler was constructed with. */
  public Map<String, String> functionEnvironment(String logicalId) {
    return function(logicalId).spec().environment();
  }

  public List<ApiRoute> routes() {
    return api == null ? List.copyOf(routes) : api.routes();
  }

  public List<EventSource> eventSources() {
    return Collections.unmodifiableList(eventSources);
  }

  /** What could not be emulated, one line each (also logged at start). */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  /** An SQS client for ElasticMQ, owned by the stack (closed with it). */
  public SqsClient sqs() {
    return sqs;
  }

  /** A DynamoDB client for moto, owned by the stack. */
  public DynamoDbClient dynamoDb() {
    return dynamo;
  }

  /**
   * The DynamoDB client the adapters take ({@link io.telebridge.aws.dynamodb.DynamoDb}, telebridge's JSON-protocol
   * client, as the functions build it) for moto; {@link #dynamoDb()} is the SDK's, for provisioning and inspection.
   */
  public io.telebridge.aws.dynamodb.DynamoDb adapterDynamoDb() {
    return AwsClients.adapterDynamoDb(motoEndpoint);
  }

  /** A Secrets Manager client for moto, owned by the stack. */
  public SecretsManagerClient secretsManager() {
    return secrets;
  }

  /** Configures any SDK v2 client builder for ElasticMQ (yours to build and close). */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B sqsClientBuilder(B builder) {
    return AwsClients.local(builder, sqsEndpoint());
  }

  /** Configures any SDK v2 client builder for moto (DynamoDB, Secrets Manager, Scheduler, ...). */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B motoClientBuilder(B builder) {
    return AwsClients.local(builder, motoEndpoint());
  }

  // ------------------------------------------------------------------ fault injection (./tb bench faults)

  /**
   * moto alone crashes (SIGKILL: no snapshot), stays down for {@code down}, and starts again on the
   * same port and state directory (it replays its fsync'd log).
   */
  public void crashAndRestartMoto(java.time.Duration down) throws IOException, InterruptedException {
    standIns.crashAndRestartMoto(down);
  }

  /** ElasticMQ alone stops, stays down for {@code down}, and starts again on the same port and data. */
  public void restartElasticMq(java.time.Duration down) throws IOException, InterruptedException {
    standIns.restartElasticMq(down);
  }

  /** Stops pollers, the API, the functions, ElasticMQ and moto, in that order. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(bridge); // drains: the message in flight is finished, the rest returns to the queue
    for (EventSource source : eventSources) {
      closeQuietly(source);
    }
    if (platformSimulator != null) {
      closeQuietly(platformSimulator); // after the pollers: a delivery in flight still gets its answer
    }
    if (api != null) {
      closeQuietly(api);
    }
    functions.values().forEach(LocalStack::closeQuietly);
    for (AutoCloseable client : new AutoCloseable[] {sqs, dynamo, secrets}) {
      if (client != null) {
        closeQuietly(client);
      }
    }
    closeQuietly(standIns); // ElasticMQ, then moto
    if (fhir != null) {
      closeQuietly(fhir);
    }
    if (options.deleteDataDirOnClose()) {
      deleteRecursively(dataDir);
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
