package io.telebridge.local;

import io.telebridge.local.aws.AwsClients;
import io.telebridge.local.aws.DevSecrets;
import io.telebridge.local.aws.DynamoDbTableProvisioner;
import io.telebridge.local.aws.ProvisionedResource;
import io.telebridge.local.aws.ResourceProvisioner;
import io.telebridge.local.aws.SqsQueueProvisioner;
import io.telebridge.local.emulator.ElasticMq;
import io.telebridge.local.emulator.MotoServer;
import io.telebridge.local.http.ApiRoute;
import io.telebridge.local.http.HttpApiServer;
import io.telebridge.local.http.SigV4Verifier;
import io.telebridge.local.lambda.FunctionSpec;
import io.telebridge.local.lambda.LocalFunction;
import io.telebridge.local.platform.PlatformSimulator;
import io.telebridge.local.sqs.SqsEventSource;
import io.telebridge.local.template.Intrinsics;
import io.telebridge.local.template.Parameters;
import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.Template;
import io.telebridge.local.template.TemplateException;
import io.telebridge.local.template.TemplateResource;
import io.telebridge.mllp.MllpBridgeService;
import io.telebridge.mllp.bridge.BridgeConfig;
import io.telebridge.mllp.bridge.EmfMetrics;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  private static final Set<String> FUNCTION_TYPES = Set.of("AWS::Serverless::Function", "AWS::Lambda::Function");

  private final LocalStackOptions options;
  private final Template template;
  private final Path dataDir;
  private MotoServer moto;
  private URI motoEndpoint;
  private ElasticMq elasticMq;
  private URI sqsEndpoint;
  private SqsClient sqs;
  private DynamoDbClient dynamo;
  private SecretsManagerClient secrets;
  private StackResolver resolver;
  private Map<String, String> parameters = Map.of();
  private final Map<String, String> devSecretArns = new LinkedHashMap<>();
  private final Map<String, ProvisionedResource> queues = new LinkedHashMap<>();
  private final Map<String, ProvisionedResource> tables = new LinkedHashMap<>();
  private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
  private final List<ApiRoute> routes = new ArrayList<>();
  private final List<EventSource> eventSources = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private HttpApiServer api;
  private EhrSimulator ehrSimulator;
  private PlatformSimulator platformSimulator;
  private io.telebridge.local.fhir.LocalFhir fhir;
  private final Map<String, String> absentFunctions = new LinkedHashMap<>();
  private MllpBridgeService bridge;
  private Map<String, String> bridgeEnvironment = Map.of();
  private java.io.Writer bridgeMetrics;
  private final Object bridgeMetricsLock = new Object();
  private boolean closed;

  private LocalStack(LocalStackOptions options, Template template, Path dataDir) {
    this.options = options;
    this.template = template;
    this.dataDir = dataDir;
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
    if (options.motoEndpoint() != null) {
      motoEndpoint = options.motoEndpoint();
    } else {
      // spawn first: moto's Python start-up overlaps with ElasticMQ's
      moto = MotoServer.spawn(options.motoCommand(), host, options.motoPort(), dataDir.resolve("moto.log"),
          dataDir.resolve("moto")); // tables, secrets, schedules survive stop, crash and restart, like the queues
      motoEndpoint = moto.endpoint();
    }
    startFhir(); // the FHIR server (≈ 20 s to minutes) and Keycloak start in the background; the stack does not wait
    if (options.sqsEndpoint() != null) {
      sqsEndpoint = options.sqsEndpoint();
    } else {
      elasticMq = ElasticMq.start(host, options.sqsPort(), dataDir, options.persistentQueues());
      sqsEndpoint = elasticMq.endpoint();
    }
    if (moto != null) {
      moto.awaitReady(options.motoStartTimeout());
    }
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
    if (options.fhirUrl() != null && template.parameters().containsKey(FHIR_BASE_URL_PARAMETER)) {
      // --fhir-url: the context function reads charts there, authenticated as --fhir-auth says
      overrides.putIfAbsent(FHIR_BASE_URL_PARAMETER, options.fhirUrl());
      overrides.putIfAbsent(FHIR_AUTH_PARAMETER, options.fhirAuth());
    }
    fhirParameters(overrides); // else the local FHIR server's doors (below), when it runs
    if (fhir != null && template.parameters().containsKey(FHIR_SMART_KEY_PARAMETER)
        && !overrides.containsKey(FHIR_SMART_KEY_PARAMETER)) {
      // the SMART client key the EHR door (and Keycloak) know, as a secret (the parameter has a Default: the
      // development-secret fallback below never sees it)
      String arn = devSecrets.put(DevSecrets.secretName(options.stackName(), FHIR_SMART_KEY_PARAMETER),
          options.secretValues().getOrDefault(FHIR_SMART_KEY_PARAMETER,
              io.telebridge.local.fhir.DevSmartKey.loadOrCreate(dataDir).toJSONString()));
      devSecretArns.put(FHIR_SMART_KEY_PARAMETER, arn);
      overrides.put(FHIR_SMART_KEY_PARAMETER, arn);
    }
    if (template.parameters().containsKey("FhirMrnSystem")) { // the synthetic charts' MRN system (the sample
      overrides.putIfAbsent("FhirMrnSystem", LocalStackOptions.DEFAULT_FHIR_MRN_SYSTEM); // profiles say it too)
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
      if (name.equals(FHIR_SMART_KEY_PARAMETER) && !options.secretValues().containsKey(name)) {
        try { // the context function's SMART client key: the development key the EHR door (and Keycloak) know
          value = io.telebridge.local.fhir.DevSmartKey.loadOrCreate(dataDir).toJSONString();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      String arn = devSecrets.put(DevSecrets.secretName(options.stackName(), name), value);
      devSecretArns.put(name, arn);
      return arn;
    });
    resolver = new StackResolver(template, options.stackName(), parameters, options.imports());
    Map<String, ResourceProvisioner> provisioners = provisioners();
    registerOthers(provisioners.keySet());
    provision(provisioners);
    if (options.runFunctions()) {
      loadFunctions();
      // the console's pages: a browser on this machine is the local developer (local only; in AWS, IAM)
      SigV4Verifier.Credentials local = localCredentials();
      api = HttpApiServer.start(host, options.apiPort(), routes,
          SigV4Verifier.forApiGateway(List.of(local), StackResolver.REGION),
          new SigV4Verifier.Identity(local.accessKey(), local.accountId(), local.userArn(), local.callerId()));
      for (EventSource source : eventSources) {
        source.start();
      }
      if (options.runBridge()) {
        startBridge();
      }
    }
  }

  // ------------------------------------------------------------------ FHIR: the server, its doors, Keycloak

  /** Template parameters the local stack sets to its FHIR doors when the template has them and nobody set them. */
  static final String FHIR_BASE_URL_PARAMETER = "FhirBaseUrl";
  /** {@code none}, {@code healthlake} (SigV4) or {@code smart} (SMART Backend Services). */
  static final String FHIR_AUTH_PARAMETER = "FhirAuth";
  static final String FHIR_TOKEN_URL_PARAMETER = "FhirSmartTokenUrl";
  static final String FHIR_CLIENT_ID_PARAMETER = "FhirSmartClientId";
  static final String FHIR_SMART_KEY_PARAMETER = "FhirSmartKeySecretArn";

  private void startFhir() throws IOException {
    if (!options.runFhir()) {
      return;
    }
    Path root = template.path().toAbsolutePath().getParent();
    fhir = io.telebridge.local.fhir.LocalFhir.start(new io.telebridge.local.fhir.LocalFhir.Settings(root,
        options.host(), options.fhirPort(), dataDir, options.fhirUpstream(), options.keycloak(),
        options.keycloakPort(), List.of(localCredentials()), StackResolver.REGION, options.fhirStartTimeout()),
        System.out);
  }

  /**
   * The functions read the FHIR server through the doors, as in AWS: "HealthLake" (SigV4 with the local
   * credentials every function has) by default, the EHR door with SMART Backend Services when Keycloak runs.
   */
  private void fhirParameters(Map<String, String> overrides) {
    if (fhir == null) {
      return;
    }
    Map<String, String> fhirDefaults = new LinkedHashMap<>();
    if (options.keycloak()) {
      fhirDefaults.put(FHIR_BASE_URL_PARAMETER, fhir.ehrBaseUrl());
      fhirDefaults.put(FHIR_AUTH_PARAMETER, "smart");
    } else {
      fhirDefaults.put(FHIR_BASE_URL_PARAMETER, fhir.healthLakeBaseUrl());
      fhirDefaults.put(FHIR_AUTH_PARAMETER, "healthlake");
    }
    fhirDefaults.put(FHIR_TOKEN_URL_PARAMETER, fhir.tokenUrl().toString());
    fhirDefaults.put(FHIR_CLIENT_ID_PARAMETER, io.telebridge.local.fhir.LocalFhir.CLIENT_ID);
    fhirDefaults.forEach((k, v) -> {
      if (template.parameters().containsKey(k)) {
        overrides.putIfAbsent(k, v);
      }
    });
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
    if (fhir == null) {
      return null;
    }
    return options.keycloak() ? fhir.ehrBaseUrl() : fhir.healthLakeBaseUrl();
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

  // ------------------------------------------------------------------ MLLP bridge and EHR simulator

  static final String BRIDGE_QUEUE = "ToEhrQueue";
  /** The EHR simulator's frame limit: above any EHR profile's maxMessageBytes a test uses (long notes). */
  static final int EHR_SIMULATOR_MAX_FRAME_BYTES = 16 << 20;
  static final String BRIDGE_DLQ = "ToEhrDeadLetterQueue";
  static final String FROM_EHR_QUEUE = "FromEhrQueue";
  static final String QUARANTINE_QUEUE = "QuarantineQueue";

  /**
   * The MLLP bridge in this JVM, as the ECS task would run it: its environment comes from the
   * template's task definition (the container whose environment names {@code TO_EHR_QUEUE_URL}),
   * then the local endpoints. It talks to the bundled EHR simulator (recording to
   * {@code <data>/ehr-simulator/}) unless an external EHR is configured.
   */
  private void startBridge() throws IOException {
    if (!queues.containsKey(BRIDGE_QUEUE) || !queues.containsKey(BRIDGE_DLQ)) {
      warn("MLLP bridge not started: the template has no " + BRIDGE_QUEUE + " / " + BRIDGE_DLQ);
      return;
    }
    String ehrHost;
    int ehrPort;
    if (options.externalEhrHost() != null) {
      ehrHost = options.externalEhrHost();
      ehrPort = options.externalEhrPort();
    } else {
      try {
        ehrSimulator = EhrSimulator.builder().host(options.host()).port(options.ehrSimulatorPort())
            .controlPort(options.ehrControlPort()).recordDir(dataDir.resolve("ehr-simulator"))
            .maxFrameBytes(EHR_SIMULATOR_MAX_FRAME_BYTES) // takes what the profile's maxMessageBytes lets through
            .console(options.ehrConsole()).start();
      } catch (java.net.BindException e) {
        throw new IOException("the EHR simulator cannot listen on " + options.host() + ":" + options.ehrSimulatorPort()
            + " (MLLP) or :" + options.ehrControlPort() + " (control): in use? Choose others with --ehr-port / "
            + "--ehr-control-port, or run without the bridge (--no-bridge)", e);
      }
      ehrHost = options.host();
      ehrPort = ehrSimulator.port();
    }
    bridgeEnvironment = Collections.unmodifiableMap(bridgeEnvironment(ehrHost, ehrPort));
    BridgeConfig config;
    try {
      config = BridgeConfig.fromEnvironment(bridgeEnvironment);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the MLLP bridge's local configuration is invalid: " + e.getMessage(), e);
    }
    Path metricsDir = Files.createDirectories(dataDir.resolve("mllp-bridge"));
    bridgeMetrics = Files.newBufferedWriter(metricsDir.resolve("metrics.jsonl"), java.nio.charset.StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    try {
      bridge = MllpBridgeService.start(config, null, new EmfMetrics(this::writeBridgeMetric, System::currentTimeMillis),
          io.telebridge.mllp.BridgeJournal.fromEnvironment(bridgeEnvironment, config.aws()));
    } catch (java.net.BindException e) {
      throw new IOException("the MLLP bridge's health endpoint (:" + options.bridgeHealthPort() + ") or its MLLP listener (:"
          + options.mllpListenPort() + ") cannot listen on " + options.host() + ": in use? Choose others with "
          + "--bridge-health-port / --mllp-port", e);
    }
    LOG.info("MLLP bridge: {} -> {}:{} ({}), health on {}", BRIDGE_QUEUE, ehrHost, ehrPort,
        ehrSimulator != null ? "EHR simulator" : "external EHR", bridge.healthPort());
  }

  /** Not synchronized on the stack: close() holds that lock while the bridge drains (and still reports). */
  private void writeBridgeMetric(String line) {
    synchronized (bridgeMetricsLock) {
      try {
        bridgeMetrics.write(line);
        bridgeMetrics.write('\n');
        bridgeMetrics.flush();
      } catch (IOException e) {
        LOG.debug("bridge metrics not written: {}", e.toString());
      }
    }
  }

  /** Template task-definition environment, then the local stack's endpoints and the option overrides. */
  private Map<String, String> bridgeEnvironment(String ehrHost, int ehrPort) {
    Map<String, String> env = new LinkedHashMap<>(taskDefinitionEnvironment());
    if (env.getOrDefault("TO_EHR_QUEUE_URL", "").isBlank()) {
      env.put("TO_EHR_QUEUE_URL", queueUrl(BRIDGE_QUEUE)); // the convention when the template has no task definition
    }
    if (env.getOrDefault("TO_EHR_DLQ_URL", "").isBlank()) {
      env.put("TO_EHR_DLQ_URL", queueUrl(BRIDGE_DLQ));
    }
    env.putAll(awsEnvironment());
    // the local stack is not a deployed environment: plain MLLP and any client on the listener (a deployed
    // bridge refuses to start without TLS material and an allow-list); one task runs sender and listener
    env.put("ENVIRONMENT", BridgeConfig.LOCAL_ENVIRONMENT);
    env.put("MLLP_TLS", "false");
    env.remove("MLLP_ALLOWED_CLIENTS");
    env.put("SENDER_ENABLED", "true");
    env.put("EHR_HOST", ehrHost);
    env.put("EHR_PORT", Integer.toString(ehrPort));
    env.put("EHR_TLS", "false"); // the simulator speaks plain MLLP; --bridge-env EHR_TLS=true for an external EHR
    env.put("HEALTH_HOST", options.host());
    env.put("HEALTH_PORT", Integer.toString(options.bridgeHealthPort()));
    env.put("POLL_WAIT_SECONDS", Integer.toString(options.sqsPollWaitSeconds())); // stops quickly on Ctrl-C
    // the MLLP listener (return path), on the template's from-EHR and quarantine queues
    if (options.mllpListenPort() >= 0 && queues.containsKey(FROM_EHR_QUEUE) && queues.containsKey(QUARANTINE_QUEUE)) {
      env.put("FROM_EHR_QUEUE_URL", queueUrl(FROM_EHR_QUEUE));
      env.put("QUARANTINE_QUEUE_URL", queueUrl(QUARANTINE_QUEUE));
      env.put("MLLP_LISTEN_HOST", options.host());
      env.put("MLLP_LISTEN_PORT", Integer.toString(options.mllpListenPort()));
    } else {
      env.remove("FROM_EHR_QUEUE_URL");
      env.remove("QUARANTINE_QUEUE_URL");
      env.put("MLLP_LISTEN_PORT", "off");
    }
    env.putAll(options.bridgeEnvironment());
    return env;
  }

  /**
   * The {@code Environment} of the template's bridge containers (resolved), or empty: the containers
   * whose environment names {@code TO_EHR_QUEUE_URL} (the sender) or {@code FROM_EHR_QUEUE_URL} (the
   * listener), merged — the template may run them as two services; locally one bridge runs both.
   */
  private Map<String, String> taskDefinitionEnvironment() {
    Map<String, String> merged = new LinkedHashMap<>();
    Map<String, String> sender = Map.of();
    for (TemplateResource r : template.resourcesOfType("AWS::ECS::TaskDefinition")) {
      if (!(r.properties().get("ContainerDefinitions") instanceof List<?> containers)) {
        continue;
      }
      for (Object c : containers) {
        if (!(c instanceof Map<?, ?> container) || !(container.get("Environment") instanceof List<?> variables)) {
          continue;
        }
        Map<String, String> env = new LinkedHashMap<>();
        try {
          for (Object v : variables) {
            if (v instanceof Map<?, ?> kv && kv.get("Name") != null) {
              Object value = kv.get("Value") == null ? "" : resolver.resolve(kv.get("Value"));
              env.put(str(kv.get("Name")), value == null ? "" : str(value));
            }
          }
        } catch (TemplateException | ClassCastException e) {
          warn(r.logicalId() + ": the bridge container's environment could not be resolved (" + e.getMessage()
              + "); using the convention TO_EHR_QUEUE_URL/TO_EHR_DLQ_URL = " + BRIDGE_QUEUE + "/" + BRIDGE_DLQ);
          return Map.of();
        }
        if (env.containsKey("TO_EHR_QUEUE_URL")) {
          sender = env;
        } else if (env.containsKey("FROM_EHR_QUEUE_URL")) {
          merged.putAll(env);
        }
      }
    }
    if (sender.isEmpty()) {
      return Map.of();
    }
    merged.putAll(sender);
    return merged;
  }

  /** The bundled EHR simulator, or null (no bridge, or an external EHR). */
  public EhrSimulator ehrSimulator() {
    return ehrSimulator;
  }

  /** The bridge's MLLP listener port (the return path), or -1 when it does not run. */
  public int mllpListenerPort() {
    return bridge == null || bridge.listener() == null ? -1 : bridge.listener().port();
  }

  /** The MLLP bridge running in this JVM, or null. */
  public MllpBridgeService mllpBridge() {
    return bridge;
  }

  /** The environment the bridge was started with (empty when it does not run). */
  public Map<String, String> bridgeEnvironment() {
    return bridgeEnvironment;
  }

  /** The resource types created in the stand-ins. Add one here to emulate a new type. */
  private Map<String, ResourceProvisioner> provisioners() {
    Map<String, ResourceProvisioner> out = new LinkedHashMap<>();
    for (ResourceProvisioner p : List.of(
        new SqsQueueProvisioner(sqs),
        new DynamoDbTableProvisioner(dynamo, "AWS::DynamoDB::Table"),
        new DynamoDbTableProvisioner(dynamo, "AWS::Serverless::SimpleTable"),
        new io.telebridge.local.aws.S3BucketProvisioner(motoEndpoint, options.stackName()),
        new io.telebridge.local.scheduler.ScheduleGroupProvisioner(
            io.telebridge.local.scheduler.ScheduleGroupProvisioner.client(motoEndpoint), options.stackName()))) {
      out.put(p.type(), p);
    }
    return out;
  }

  // ------------------------------------------------------------------ resources

  /** Ref / GetAtt values for the resources that are not created in a stand-in. */
  private void registerOthers(Set<String> provisioned) {
    String region = StackResolver.REGION;
    String account = StackResolver.ACCOUNT_ID;
    for (TemplateResource r : template.resources().values()) {
      if (provisioned.contains(r.type()) || !resolver.included(r)) {
        continue;
      }
      String id = r.logicalId();
      switch (r.type()) {
        case "AWS::Serverless::Function", "AWS::Lambda::Function" -> {
          String name = functionName(r);
          String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
          resolver.register(id, name, Map.of("Arn", arn));
          if (!template.resources().containsKey(id + "Role")) {
            resolver.register(id + "Role", id + "Role", Map.of("Arn", "arn:aws:iam::" + account + ":role/" + id + "Role"));
          }
        }
        case "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api", "AWS::ApiGateway::RestApi" ->
            resolver.register(id, apiId(id), Map.of("ApiEndpoint", "http://" + options.host(), "ApiId", apiId(id),
                "RootResourceId", apiId(id + "/")));
        case "AWS::Logs::LogGroup" -> {
          String name = tryResolveString(r.properties().get("LogGroupName"), "/aws/local/" + id);
          resolver.register(id, name, Map.of("Arn", "arn:aws:logs:" + region + ":" + account + ":log-group:" + name + ":*"));
        }
        case "AWS::SNS::Topic" -> {
          String name = tryResolveString(r.properties().get("TopicName"), options.stackName() + "-" + id);
          String arn = "arn:aws:sns:" + region + ":" + account + ":" + name;
          resolver.register(id, arn, Map.of("TopicArn", arn, "TopicName", name));
        }
        case "AWS::IAM::Role" -> resolver.register(id, id, Map.of("Arn", "arn:aws:iam::" + account + ":role/" + id,
            "RoleId", "AROA" + apiId(id).toUpperCase(Locale.ROOT)));
        default -> {
          String service = r.type().split("::").length > 1
              ? r.type().split("::")[1].toLowerCase(Locale.ROOT) : "local";
          String name = options.stackName() + "-" + id;
          resolver.register(id, name, Map.of("Arn", "arn:aws:" + service + ":" + region + ":" + account + ":" + name,
              "Name", name, "Id", name));
        }
      }
    }
    for (String implicit : List.of("ServerlessHttpApi", "ServerlessRestApi")) {
      if (!resolver.isRegistered(implicit) && !template.resources().containsKey(implicit)) {
        resolver.register(implicit, apiId(implicit), Map.of("ApiEndpoint", "http://" + options.host()));
      }
    }
  }

  private String tryResolveString(Object value, String fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      String s = resolver.resolveString(value, "name");
      return s == null ? fallback : s;
    } catch (TemplateException e) {
      return fallback;
    }
  }

  private String functionName(TemplateResource r) {
    return tryResolveString(r.properties().get("FunctionName"), options.stackName() + "-" + r.logicalId());
  }

  /** A stable 10-character id, like an API Gateway id. */
  static String apiId(String logicalId) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(logicalId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void provision(Map<String, ResourceProvisioner> provisioners) {
    List<TemplateResource> todo = new ArrayList<>();
    for (TemplateResource r : template.resources().values()) {
      if (provisioners.containsKey(r.type()) && resolver.included(r)) {
        todo.add(r);
      }
    }
    for (TemplateResource r : dependencyOrder(todo)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> properties = (Map<String, Object>) resolver.resolve(r.properties());
      ProvisionedResource created;
      try {
        created = provisioners.get(r.type()).provision(r.logicalId(), properties);
      } catch (TemplateException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new IllegalStateException(r.logicalId() + " (" + r.type() + ") could not be created: " + e.getMessage(), e);
      }
      resolver.register(r.logicalId(), created.ref(), created.attributes());
      if (r.type().equals("AWS::SQS::Queue")) {
        queues.put(r.logicalId(), created);
      } else {
        tables.put(r.logicalId(), created);
      }
      LOG.info("{} ({}) ready: {}", r.logicalId(), r.type(), created.ref());
    }
  }

  /** Resources ordered so that each comes after those it refers to (a DLQ before its source). */
  static List<TemplateResource> dependencyOrder(List<TemplateResource> resources) {
    Map<String, TemplateResource> byId = new LinkedHashMap<>();
    resources.forEach(r -> byId.put(r.logicalId(), r));
    List<TemplateResource> out = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (TemplateResource r : resources) {
      visit(r, byId, done, visiting, out);
    }
    return out;
  }

  private static void visit(TemplateResource r, Map<String, TemplateResource> byId, Set<String> done,
      Set<String> visiting, List<TemplateResource> out) {
    if (done.contains(r.logicalId())) {
      return;
    }
    if (!visiting.add(r.logicalId())) {
      throw new TemplateException("circular dependency between resources: " + visiting);
    }
    Set<String> deps = new LinkedHashSet<>(Intrinsics.references(r.properties()));
    deps.addAll(r.dependsOn());
    for (String dep : deps) {
      TemplateResource d = byId.get(dep);
      if (d != null) {
        visit(d, byId, done, visiting, out);
      }
    }
    visiting.remove(r.logicalId());
    done.add(r.logicalId());
    out.add(r);
  }

  // ------------------------------------------------------------------ functions

  private void loadFunctions() {
    Path templateDir = template.path() == null ? Path.of(".") : template.path().getParent();
    Map<String, String> arnToQueueUrl = new LinkedHashMap<>();
    queues.values().forEach(q -> arnToQueueUrl.put(q.attributes().get("Arn"), q.ref()));
    for (TemplateResource r : template.resources().values()) {
      if (!FUNCTION_TYPES.contains(r.type()) || !resolver.included(r)) {
        continue;
      }
      FunctionSpec spec = functionSpec(r, templateDir);
      if (spec == null) {
        continue;
      }
      LocalFunction fn = new LocalFunction(spec, options.classLoader(), options.verboseErrors(), System.err);
      Path module = moduleOf(spec.codeJar());
      if (!fn.isLoadable() && module != null && !module.equals(templateDir.toAbsolutePath().normalize())
          && !Files.isRegularFile(module.resolve("pom.xml"))) {
        String why = "not run: its module " + templateDir.relativize(module) + " is not in this checkout (handler "
            + spec.handlerClassName() + " not on the classpath, " + templateDir.relativize(spec.codeJar())
            + " not built); its triggers are not polled";
        absentFunctions.put(r.logicalId(), why);
        LOG.info("{}: {}", r.logicalId(), why);
        closeQuietly(fn);
        continue;
      }
      functions.put(r.logicalId(), fn);
      if (!fn.isLoadable()) {
        warn(r.logicalId() + ": " + fn.problem());
      } else {
        if (!fn.usesEnvironmentConstructor()) {
          warn(r.logicalId() + ": " + spec.handlerClassName() + " has no (Map<String, String>) constructor; "
              + "it gets no template environment (it would read the process environment)");
        }
        fn.warmUp();
      }
      if (r.type().equals("AWS::Serverless::Function") && r.properties().get("Events") instanceof Map<?, ?> events) {
        for (Map.Entry<?, ?> e : events.entrySet()) {
          bindEvent(fn, String.valueOf(e.getKey()), e.getValue(), arnToQueueUrl);
        }
      }
    }
    for (TemplateResource r : template.resourcesOfType("AWS::Lambda::EventSourceMapping")) {
      if (resolver.included(r)) {
        bindEventSourceMapping(r, arnToQueueUrl);
      }
    }
    bindScheduleGroups(arnToQueueUrl);
  }

  /** moto stores schedules but never fires them: the local stack fires the template's groups' due schedules. */
  private void bindScheduleGroups(Map<String, String> arnToQueueUrl) {
    List<String> groups = tables.values().stream().filter(t -> t.type().equals("AWS::Scheduler::ScheduleGroup"))
        .map(ProvisionedResource::ref).toList();
    if (groups.isEmpty()) {
      return;
    }
    eventSources.add(new io.telebridge.local.scheduler.SchedulerEventSource(
        io.telebridge.local.scheduler.ScheduleGroupProvisioner.client(motoEndpoint), sqs, groups, this::functionByArn,
        arnToQueueUrl::get, options.schedulerPoll(), java.time.Clock.systemUTC()));
  }

  /**
   * {@code <dir>/functions/x/target/x.jar} -> {@code <dir>/functions/x}; null when the jar is not under
   * a target/. (A jar in the template's own target/ names no separate module: never "absent".)
   */
  static Path moduleOf(Path codeJar) {
    if (codeJar == null || codeJar.getParent() == null || codeJar.getParent().getFileName() == null
        || !codeJar.getParent().getFileName().toString().equals("target")) {
      return null;
    }
    return codeJar.getParent().getParent();
  }

  private FunctionSpec functionSpec(TemplateResource r, Path templateDir) {
    Map<String, Object> p = r.properties();
    String runtime = p.get("Runtime") == null ? "" : resolver.resolveString(p.get("Runtime"), r.logicalId() + ".Runtime");
    if (!runtime.isEmpty() && !runtime.startsWith("java")) {
      warn(r.logicalId() + ": runtime " + runtime + " is not Java; not run locally");
      return null;
    }
    if (p.get("Handler") == null) {
      warn(r.logicalId() + ": no Handler; not run locally");
      return null;
    }
    String handler = resolver.resolveString(p.get("Handler"), r.logicalId() + ".Handler");
    int timeout = p.get("Timeout") == null ? 3
        : Integer.parseInt(resolver.resolveString(p.get("Timeout"), r.logicalId() + ".Timeout"));
    int memory = p.get("MemorySize") == null ? 128
        : Integer.parseInt(resolver.resolveString(p.get("MemorySize"), r.logicalId() + ".MemorySize"));
    String name = resolver.registered(r.logicalId()).ref();
    Map<String, String> env = new LinkedHashMap<>();
    if (p.get("Environment") instanceof Map<?, ?> environment && environment.get("Variables") != null) {
      Object vars = resolver.resolve(environment.get("Variables"));
      if (!(vars instanceof Map<?, ?> varMap)) {
        throw new TemplateException(r.logicalId() + ".Environment.Variables must be a mapping");
      }
      for (Map.Entry<?, ?> v : varMap.entrySet()) {
        env.put(String.valueOf(v.getKey()), StackResolver.scalarToString(v.getValue()));
      }
    }
    env.putAll(options.environment());
    env.putAll(awsEnvironment());
    env.put("AWS_LAMBDA_FUNCTION_NAME", name);
    env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(timeout));
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
    env.put("_HANDLER", handler);
    Path jar = null;
    Object codeUri = p.get("CodeUri");
    if (codeUri instanceof String s && s.endsWith(".jar")) {
      jar = templateDir.resolve(s).normalize();
    }
    return new FunctionSpec(r.logicalId(), name, handler, timeout, memory, env, jar);
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

  /**
   * A route's authorizer as SAM reads it: the event's {@code Auth.Authorizer}, else its API's
   * {@code Auth.DefaultAuthorizer}; {@code null} for none.
   */
  private String routeAuthorizer(Map<?, ?> props, String apiId) {
    if (props.get("Auth") instanceof Map<?, ?> auth && auth.get("Authorizer") != null) {
      return str(auth.get("Authorizer"));
    }
    for (String type : List.of("AWS::Serverless::HttpApi", "AWS::Serverless::Api")) {
      for (TemplateResource api : template.resourcesOfType(type)) {
        if (!resolver.isRegistered(api.logicalId()) || !resolver.registered(api.logicalId()).ref().equals(apiId)) {
          continue;
        }
        if (api.properties().get("Auth") instanceof Map<?, ?> auth && auth.get("DefaultAuthorizer") != null) {
          Object value = resolver.resolve(auth.get("DefaultAuthorizer"));
          return value == null ? null : str(value);
        }
      }
    }
    return null;
  }

  private void bindEvent(LocalFunction fn, String eventName, Object definition, Map<String, String> arnToQueueUrl) {
    if (!(definition instanceof Map<?, ?> def)) {
      return;
    }
    String type = String.valueOf(def.get("Type"));
    Object rawProps = def.get("Properties");
    String where = fn.logicalId() + ".Events." + eventName;
    try {
      Map<?, ?> props = rawProps == null ? Map.of() : (Map<?, ?>) resolver.resolve(rawProps);
      switch (type) {
        case "HttpApi" -> {
          String path = props.get("Path") == null ? "$default" : str(props.get("Path"));
          String method = props.get("Method") == null ? "ANY" : str(props.get("Method"));
          String apiId = props.get("ApiId") == null ? resolver.registered("ServerlessHttpApi").ref() : str(props.get("ApiId"));
          String version = props.get("PayloadFormatVersion") == null ? "2.0" : str(props.get("PayloadFormatVersion"));
          String authorizer = routeAuthorizer(props, apiId);
          ApiRoute route = new ApiRoute("HttpApi", apiId, method.toUpperCase(Locale.ROOT), path, version, eventName, fn,
              authorizer);
          if (route.unsupportedAuthorizer()) {
            warn(where + ": authorizer " + authorizer + " is not emulated locally (only AWS_IAM); its requests get 403");
          }
          addRoute(route);
        }
        case "Api" -> {
          String apiId = props.get("RestApiId") == null ? resolver.registered("ServerlessRestApi").ref() : str(props.get("RestApiId"));
          String authorizer = routeAuthorizer(props, apiId);
          ApiRoute route = new ApiRoute("Api", apiId, str(props.get("Method")).toUpperCase(Locale.ROOT),
              str(props.get("Path")), "1.0", eventName, fn, authorizer);
          if (route.unsupportedAuthorizer()) {
            warn(where + ": authorizer " + authorizer + " is not emulated locally (only AWS_IAM); its requests get 403");
          }
          addRoute(route);
        }
        case "SQS" -> bindSqs(fn, eventName, str(props.get("Queue")), props, arnToQueueUrl);
        case "Schedule", "ScheduleV2" -> warn(where + ": " + type
            + " events are not emulated yet (extension point: io.telebridge.local.scheduler)");
        default -> warn(where + ": event type " + type + " is not emulated locally");
      }
    } catch (TemplateException | ClassCastException e) {
      warn(where + ": " + e.getMessage());
    }
  }

  private void addRoute(ApiRoute route) {
    for (ApiRoute existing : routes) {
      if (existing.routeKey().equals(route.routeKey())) {
        warn("route " + route.routeKey() + " of " + route.function().logicalId() + " is already served by "
            + existing.function().logicalId() + " (all APIs share one local port); the first one wins");
      }
    }
    routes.add(route);
  }

  private void bindSqs(LocalFunction fn, String eventName, String queueArn, Map<?, ?> props, Map<String, String> arnToQueueUrl) {
    String queueUrl = arnToQueueUrl.get(queueArn);
    String where = fn.logicalId() + ".Events." + eventName;
    if (queueUrl == null) {
      warn(where + ": queue " + queueArn + " is not a queue of this template; not polled");
      return;
    }
    if (props.get("Enabled") != null && !Boolean.parseBoolean(str(props.get("Enabled")))) {
      warn(where + ": disabled (Enabled: false); not polled");
      return;
    }
    if (options.disabledEventSources().contains(fn.logicalId())) {
      LOG.info("{}: disabled by option; not polled", where);
      return;
    }
    if (!fn.isLoadable()) {
      warn(where + ": not polled while the handler cannot be loaded (messages stay in the queue)");
      return;
    }
    int batchSize = props.get("BatchSize") == null ? 10 : Integer.parseInt(str(props.get("BatchSize")));
    int window = props.get("MaximumBatchingWindowInSeconds") == null ? 0
        : Integer.parseInt(str(props.get("MaximumBatchingWindowInSeconds")));
    boolean report = props.get("FunctionResponseTypes") instanceof List<?> types
        && types.stream().anyMatch(t -> "ReportBatchItemFailures".equals(String.valueOf(t)));
    eventSources.add(new SqsEventSource(fn, sqs, new SqsEventSource.Settings(
        eventName, queueUrl, queueArn, batchSize, window, report, options.sqsPollWaitSeconds())));
  }

  private void bindEventSourceMapping(TemplateResource r, Map<String, String> arnToQueueUrl) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) resolver.resolve(r.properties());
      String source = str(props.get("EventSourceArn"));
      if (!source.startsWith("arn:aws:sqs:")) {
        warn(r.logicalId() + ": only SQS event source mappings are emulated");
        return;
      }
      String target = str(props.get("FunctionName"));
      Optional<LocalFunction> fn = functions.values().stream()
          .filter(f -> f.spec().functionName().equals(target) || f.spec().arn().equals(target))
          .findFirst();
      if (fn.isEmpty()) {
        warn(r.logicalId() + ": function " + target + " is not a local function");
        return;
      }
      bindSqs(fn.get(), r.logicalId(), source, props, arnToQueueUrl);
    } catch (TemplateException e) {
      warn(r.logicalId() + ": " + e.getMessage());
    }
  }

  private static String str(Object value) {
    return StackResolver.scalarToString(value);
  }

  private void warn(String message) {
    warnings.add(message);
    LOG.warn(message);
  }

  private static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
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
    return functions.values().stream().filter(f -> f.spec().arn().equals(arn)).findFirst();
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
   * same port and state directory (it replays its fsync'd log). The functions' clients keep their
   * endpoint and see refused connections meanwhile.
   */
  public void crashAndRestartMoto(java.time.Duration down) throws IOException, InterruptedException {
    MotoServer old;
    synchronized (this) {
      old = moto;
    }
    if (old == null) {
      throw new IllegalStateException("moto is not this stack's (an external moto endpoint was given)");
    }
    old.kill();
    Thread.sleep(down.toMillis());
    MotoServer fresh = MotoServer.spawn(options.motoCommand(), options.host(), old.port(), dataDir.resolve("moto.log"),
        dataDir.resolve("moto"));
    fresh.awaitReady(options.motoStartTimeout());
    synchronized (this) {
      moto = fresh;
    }
  }

  /**
   * ElasticMQ alone stops (clients get refused connections), stays down for {@code down}, and starts
   * again on the same port and data directory (queues and messages restored from its store).
   */
  public void restartElasticMq(java.time.Duration down) throws IOException, InterruptedException {
    ElasticMq old;
    synchronized (this) {
      old = elasticMq;
    }
    if (old == null) {
      throw new IllegalStateException("ElasticMQ is not this stack's (an external SQS endpoint was given)");
    }
    int port = old.port();
    old.close();
    Thread.sleep(down.toMillis());
    ElasticMq fresh = ElasticMq.start(options.host(), port, dataDir, options.persistentQueues());
    synchronized (this) {
      elasticMq = fresh;
    }
  }

  /** Stops pollers, the API, the functions, ElasticMQ and moto, in that order. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (bridge != null) {
      closeQuietly(bridge); // drains: the message in flight is finished, the rest returns to the queue
    }
    if (bridgeMetrics != null) {
      synchronized (bridgeMetricsLock) {
        closeQuietly(bridgeMetrics);
      }
    }
    if (ehrSimulator != null) {
      closeQuietly(ehrSimulator);
    }
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
    if (elasticMq != null) {
      closeQuietly(elasticMq);
    }
    if (moto != null) {
      closeQuietly(moto);
    }
    if (fhir != null) {
      closeQuietly(fhir);
    }
    if (options.deleteDataDirOnClose()) {
      deleteRecursively(dataDir);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
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
