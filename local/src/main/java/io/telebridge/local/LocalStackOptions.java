package io.telebridge.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start a {@link LocalStack}. Two presets: {@link #defaults(Path)} (the developer command:
 * fixed ports, data under {@code .local-data/} beside the template) and {@link #forTests(Path)}
 * (free ports, a temporary data directory deleted on close). Setters return {@code this}.
 *
 * <p>Over 400 lines for a reason: a flat list of some 45 options, each a field, a setter that checks
 * its value and a getter; grouping them into sub-objects would change every caller (the tests build
 * stacks with these setters) and scatter the one place that lists what a local stack can be told.
 */
public final class LocalStackOptions {

  /** The development webhook signing secret. Synthetic; never used outside the local stack. */
  public static final String DEFAULT_DEV_SIGNING_SECRET = "dev-webhook-secret-change-me";
  public static final int DEFAULT_API_PORT = 3000;
  public static final int DEFAULT_SQS_PORT = 9324;
  public static final int DEFAULT_MOTO_PORT = 5000;
  public static final String DEFAULT_STACK_NAME = "telebridge-local";
  /** The EHR simulator's MLLP port (2575: the port IANA lists for HL7 over MLLP). */
  public static final int DEFAULT_EHR_SIMULATOR_PORT = 2575;
  /** The EHR simulator's HTTP control endpoint. */
  public static final int DEFAULT_EHR_CONTROL_PORT = 2576;
  /** The MLLP bridge's health endpoint. */
  public static final int DEFAULT_BRIDGE_HEALTH_PORT = 2577;
  /**
   * The bridge's MLLP listener (the return path: the EHR sends here). 2578 locally because the EHR
   * simulator already listens on 2575; in AWS the listener is on 2575 behind the NLB.
   */
  public static final int DEFAULT_MLLP_LISTEN_PORT = 2578;
  /** The platform simulator (receives the deliveries of the return path). */
  public static final int DEFAULT_PLATFORM_SIMULATOR_PORT = 2580;
  /** The FHIR doors: "HealthLake" ({@code /datastore/…/r4/}, SigV4) and "the EHR's FHIR API" ({@code /ehr/r4/}, OAuth2). */
  public static final int DEFAULT_FHIR_PORT = 2590;
  /** Keycloak (opt-in: {@code --keycloak}). */
  public static final int DEFAULT_KEYCLOAK_PORT = 2591;
  /** The development secret deliveries to the platform are signed with. Synthetic; local use only. */
  public static final String DEFAULT_DEV_PLATFORM_SECRET = "dev-platform-secret-change-me";

  private Path template;
  private Path dataDir;
  private boolean temporaryDataDir;
  private String host = "127.0.0.1";
  private int apiPort;
  private int sqsPort;
  private int motoPort;
  private URI motoEndpoint;
  private URI sqsEndpoint;
  /**
   * System property naming one AWS endpoint (LocalStack) that test stacks use for every service
   * instead of ElasticMQ and moto: set by the integration suite's {@code -Plocalstack} profile.
   */
  public static final String TEST_AWS_ENDPOINT_PROPERTY = "telebridge.test.aws-endpoint";
  private String motoCommand;
  private Duration motoStartTimeout = Duration.ofSeconds(60);
  private String stackName = DEFAULT_STACK_NAME;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final Map<String, String> imports = new LinkedHashMap<>();
  private final Map<String, String> secretValues = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private String devSigningSecret = DEFAULT_DEV_SIGNING_SECRET;
  private boolean runFunctions = true;
  private final java.util.Set<String> disabledEventSources = new java.util.LinkedHashSet<>();
  private int sqsPollWaitSeconds = 1;
  /** The default of {@link #concurrency(int)}. */
  public static final int DEFAULT_CONCURRENCY = 4;
  private int concurrency = DEFAULT_CONCURRENCY;
  // clinical context: where the context function reads charts (--fhir-url), how it authenticates, and how
  // often the local stack looks for due EventBridge schedules (moto never fires them)
  private String fhirUrl;
  private String fhirAuth = "none";
  private java.time.Duration schedulerPoll = java.time.Duration.ofSeconds(2);
  private boolean verboseErrors;
  private boolean persistentQueues = true;
  private ClassLoader classLoader;
  private boolean runBridge;
  private int ehrSimulatorPort;
  private int ehrControlPort;
  private int bridgeHealthPort;
  private int mllpListenPort;
  private String externalEhrHost;
  private int externalEhrPort;
  private java.io.PrintStream ehrConsole;
  private final Map<String, String> bridgeEnvironment = new LinkedHashMap<>();
  private boolean runPlatformSimulator = true;
  private int platformSimulatorPort;
  private String platformSigningSecret = DEFAULT_DEV_PLATFORM_SECRET;
  private java.io.PrintStream platformConsole;
  private boolean runFhir;
  private int fhirPort;
  private String fhirUpstream;
  private boolean keycloak;
  private int keycloakPort;
  private Duration fhirStartTimeout = Duration.ofMinutes(15);

  private LocalStackOptions(Path template) {
    this.template = template.toAbsolutePath().normalize();
  }

  /** Developer defaults: API 3000, ElasticMQ 9324, moto 5000, data in {@code <template dir>/.local-data}. */
  public static LocalStackOptions defaults(Path template) {
    LocalStackOptions o = new LocalStackOptions(template);
    o.apiPort = DEFAULT_API_PORT;
    o.sqsPort = DEFAULT_SQS_PORT;
    o.motoPort = DEFAULT_MOTO_PORT;
    Path dir = o.template.getParent() == null ? Path.of(".") : o.template.getParent();
    o.dataDir = dir.resolve(".local-data");
    o.runBridge = true;
    o.ehrSimulatorPort = DEFAULT_EHR_SIMULATOR_PORT;
    o.ehrControlPort = DEFAULT_EHR_CONTROL_PORT;
    o.bridgeHealthPort = DEFAULT_BRIDGE_HEALTH_PORT;
    o.mllpListenPort = DEFAULT_MLLP_LISTEN_PORT;
    o.ehrConsole = System.out;
    o.platformSimulatorPort = DEFAULT_PLATFORM_SIMULATOR_PORT;
    o.platformConsole = System.out;
    o.runFhir = true;
    o.fhirPort = DEFAULT_FHIR_PORT;
    o.keycloakPort = DEFAULT_KEYCLOAK_PORT;
    return o;
  }

  /**
   * Test defaults: every port picked free, a temporary data directory removed on close, and no MLLP
   * bridge (tests that read the to-EHR queue themselves keep its messages; {@link #runBridge(boolean)}
   * turns it on).
   */
  public static LocalStackOptions forTests(Path template) {
    LocalStackOptions o = new LocalStackOptions(template);
    o.apiPort = 0;
    o.sqsPort = 0;
    o.motoPort = 0;
    try {
      o.dataDir = Files.createTempDirectory("telebridge-local-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    o.temporaryDataDir = true;
    String aws = System.getProperty(TEST_AWS_ENDPOINT_PROPERTY);
    if (aws != null && !aws.isBlank()) {
      // one shared emulator for the whole suite: each stack gets names of its own
      o.motoEndpoint = URI.create(aws);
      o.sqsEndpoint = URI.create(aws);
      o.stackName = "tb-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    }
    return o;
  }

  /**
   * Run the local FHIR server (a child process: local/fhir-server's jar, HAPI FHIR JPA on H2 in
   * {@code <data>/fhir/}, seeded with the sample charts) and its doors. Default: on for {@link #defaults}
   * ({@code --no-fhir} turns it off), off for {@link #forTests} (tests turn it on, usually with
   * {@link #fhirUpstream} to share one in-process server).
   */
  public LocalStackOptions runFhir(boolean value) {
    runFhir = value;
    return this;
  }

  /** The FHIR doors' port (0 picks a free one). */
  public LocalStackOptions fhirPort(int value) {
    fhirPort = value;
    return this;
  }

  /**
   * A FHIR server that already runs (its base URL, {@code http://…/fhir}): the doors front it and no child
   * process starts (tests pass {@code FhirServer.shared().baseUrl()}).
   */
  public LocalStackOptions fhirUpstream(String baseUrl) {
    fhirUpstream = baseUrl;
    return this;
  }

  /** Start Keycloak (slow: ≈ 1 min) and let the EHR door accept only its tokens. Default off. */
  public LocalStackOptions keycloak(boolean value) {
    keycloak = value;
    return this;
  }

  /** Keycloak's HTTP port (0 picks a free one). */
  public LocalStackOptions keycloakPort(int value) {
    keycloakPort = value;
    return this;
  }

  /** How long the FHIR child process may take to start and seed (default 15 min: ≈ 20 s idle, 5-10 min on two overloaded cores). */
  public LocalStackOptions fhirStartTimeout(Duration value) {
    fhirStartTimeout = value;
    return this;
  }

  public boolean runFhir() {
    return runFhir;
  }

  public int fhirPort() {
    return fhirPort;
  }

  public String fhirUpstream() {
    return fhirUpstream;
  }

  public boolean keycloak() {
    return keycloak;
  }

  public int keycloakPort() {
    return keycloakPort;
  }

  public Duration fhirStartTimeout() {
    return fhirStartTimeout;
  }

  /**
   * Run the MLLP bridge in this JVM (when the template has {@code ToEhrQueue} and
   * {@code ToEhrDeadLetterQueue}), pointed at the bundled EHR simulator or at {@link #externalEhr}.
   * Default: on for {@link #defaults}, off for {@link #forTests}.
   */
  public LocalStackOptions runBridge(boolean value) {
    runBridge = value;
    return this;
  }

  /** The EHR simulator's MLLP port (0 picks a free one). */
  public LocalStackOptions ehrSimulatorPort(int value) {
    ehrSimulatorPort = value;
    return this;
  }

  /** The EHR simulator's HTTP control port (0 picks a free one; -1: none). */
  public LocalStackOptions ehrControlPort(int value) {
    ehrControlPort = value;
    return this;
  }

  /** The bridge's health endpoint port (0 picks a free one). */
  public LocalStackOptions bridgeHealthPort(int value) {
    bridgeHealthPort = value;
    return this;
  }

  /**
   * The bridge's MLLP listener port (0 picks a free one; -1: no listener). The listener runs when the
   * template has {@code FromEhrQueue} and {@code QuarantineQueue}.
   */
  public LocalStackOptions mllpListenPort(int value) {
    mllpListenPort = value;
    return this;
  }

  public int mllpListenPort() {
    return mllpListenPort;
  }

  /** Point the bridge at this MLLP endpoint instead of starting the EHR simulator. */
  public LocalStackOptions externalEhr(String host, int port) {
    externalEhrHost = host;
    externalEhrPort = port;
    return this;
  }

  /** Where the simulator prints one line per message received ({@code null}: nowhere). */
  public LocalStackOptions ehrConsole(java.io.PrintStream value) {
    ehrConsole = value;
    return this;
  }

  /**
   * An extra environment variable for the bridge, after the template's and the local ones (e.g.
   * {@code EHR_TLS=true}, {@code EHR_TRUSTSTORE=...}, {@code ACK_TIMEOUT_MS=2000}).
   */
  public LocalStackOptions bridgeEnvironment(String name, String value) {
    bridgeEnvironment.put(name, value);
    return this;
  }

  public boolean runBridge() {
    return runBridge;
  }

  /**
   * Run the platform simulator (default: on, in both presets) when the template has the
   * {@code PlatformEndpointUrl} parameter and no override names another endpoint; the parameter
   * then points at the simulator.
   */
  public LocalStackOptions runPlatformSimulator(boolean value) {
    runPlatformSimulator = value;
    return this;
  }

  /** The platform simulator's port (0 picks a free one; default 2580, free in tests). */
  public LocalStackOptions platformSimulatorPort(int value) {
    platformSimulatorPort = value;
    return this;
  }

  /**
   * The secret deliveries to the platform are signed with: stored as {@code {"current": ...}} in the
   * development secret for {@code PlatformSigningSecretArn}, and what the simulator verifies with.
   * (A {@link #secretValue} for {@code PlatformSigningSecretArn} changes only the stored secret: the
   * simulator then answers 401, a way to test a secret mismatch.)
   */
  public LocalStackOptions platformSigningSecret(String value) {
    platformSigningSecret = value;
    return this;
  }

  /** Where the platform simulator prints one line per delivery ({@code null}: nowhere). */
  public LocalStackOptions platformConsole(java.io.PrintStream value) {
    platformConsole = value;
    return this;
  }

  public boolean runPlatformSimulator() {
    return runPlatformSimulator;
  }

  public int platformSimulatorPort() {
    return platformSimulatorPort;
  }

  public String platformSigningSecret() {
    return platformSigningSecret;
  }

  public java.io.PrintStream platformConsole() {
    return platformConsole;
  }

  public int ehrSimulatorPort() {
    return ehrSimulatorPort;
  }

  public int ehrControlPort() {
    return ehrControlPort;
  }

  public int bridgeHealthPort() {
    return bridgeHealthPort;
  }

  /** The external EHR host, or null when the simulator is used. */
  public String externalEhrHost() {
    return externalEhrHost;
  }

  public int externalEhrPort() {
    return externalEhrPort;
  }

  public java.io.PrintStream ehrConsole() {
    return ehrConsole;
  }

  public Map<String, String> bridgeEnvironment() {
    return Collections.unmodifiableMap(bridgeEnvironment);
  }

  public LocalStackOptions template(Path value) {
    template = value.toAbsolutePath().normalize();
    return this;
  }

  /** A data directory of your own (kept on close), e.g. to restart on the same ElasticMQ store. */
  public LocalStackOptions dataDir(Path value) {
    dataDir = value.toAbsolutePath().normalize();
    temporaryDataDir = false;
    return this;
  }

  /** Whether {@link LocalStack#close()} deletes the data directory. */
  public LocalStackOptions deleteDataDirOnClose(boolean value) {
    temporaryDataDir = value;
    return this;
  }

  /** The loopback address every server binds to (default 127.0.0.1). */
  public LocalStackOptions host(String value) {
    host = value;
    return this;
  }

  /** 0 picks a free port. */
  public LocalStackOptions apiPort(int value) {
    apiPort = value;
    return this;
  }

  public LocalStackOptions sqsPort(int value) {
    sqsPort = value;
    return this;
  }

  public LocalStackOptions motoPort(int value) {
    motoPort = value;
    return this;
  }

  /**
   * Use an already running SQS-compatible endpoint instead of starting ElasticMQ (the integration
   * suite's {@code -Plocalstack} profile points it at LocalStack).
   */
  public LocalStackOptions sqsEndpoint(URI value) {
    sqsEndpoint = value;
    return this;
  }

  public URI sqsEndpoint() {
    return sqsEndpoint;
  }

  /** Use an already running moto server instead of starting one (e.g. one per test class). */
  public LocalStackOptions motoEndpoint(URI value) {
    motoEndpoint = value;
    return this;
  }

  /**
   * A moto_server executable to run instead of our serial server (which is durable in
   * {@code <data>/moto/}; moto_server keeps its state in memory only). Default: our server when python3
   * imports moto, else moto_server found on PATH.
   */
  public LocalStackOptions motoCommand(String value) {
    motoCommand = value;
    return this;
  }

  public LocalStackOptions motoStartTimeout(Duration value) {
    motoStartTimeout = value;
    return this;
  }

  public LocalStackOptions stackName(String value) {
    stackName = value;
    return this;
  }

  /** Overrides a template parameter. */
  public LocalStackOptions parameter(String name, String value) {
    parameters.put(name, value);
    return this;
  }

  /** The value of {@code Fn::ImportValue name}. */
  public LocalStackOptions importValue(String name, String value) {
    imports.put(name, value);
    return this;
  }

  /**
   * The secret string stored for a {@code *SecretArn} parameter (default
   * {@code {"current":"<dev signing secret>"}}).
   */
  public LocalStackOptions secretValue(String parameterName, String secretString) {
    secretValues.put(parameterName, secretString);
    return this;
  }

  /** The development webhook signing secret (default {@value #DEFAULT_DEV_SIGNING_SECRET}). */
  public LocalStackOptions devSigningSecret(String value) {
    devSigningSecret = value;
    return this;
  }

  /** An extra environment variable for every function (after the template's). */
  public LocalStackOptions environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /**
   * Leaves the SQS triggers of these functions off (like an event source mapping with
   * {@code Enabled: false}): their queues fill up and a test can read them itself.
   */
  public LocalStackOptions disableEventSources(String... functionLogicalIds) {
    disabledEventSources.addAll(java.util.List.of(functionLogicalIds));
    return this;
  }

  public java.util.Set<String> disabledEventSources() {
    return java.util.Collections.unmodifiableSet(disabledEventSources);
  }

  /** {@code false}: create the resources only; no API server, no pollers, no handlers loaded. */
  public LocalStackOptions runFunctions(boolean value) {
    runFunctions = value;
    return this;
  }

  /** Long-poll wait of the SQS pollers (1..20 s); also bounds how long stopping takes. */
  /** The MRN identifier system and HL7 authority of the synthetic charts (tests' SyntheticCharts, the samples). */
  public static final String DEFAULT_FHIR_MRN_SYSTEM = "urn:oid:1.2.840.99999.1";

  /** The FHIR R4 base URL the context function reads (template parameter FhirBaseUrl); null: the template's. */
  public LocalStackOptions fhirUrl(String value) {
    fhirUrl = value;
    return this;
  }

  public String fhirUrl() {
    return fhirUrl;
  }

  /** none (default), healthlake or smart: the context function's FhirAuth with --fhir-url. */
  public LocalStackOptions fhirAuth(String value) {
    if (!java.util.Set.of("none", "healthlake", "smart").contains(value)) {
      throw new IllegalArgumentException("--fhir-auth must be none, healthlake or smart");
    }
    fhirAuth = value;
    return this;
  }

  public String fhirAuth() {
    return fhirAuth;
  }

  /** How often due EventBridge schedules are looked for and fired (default 2 s). */
  public LocalStackOptions schedulerPoll(java.time.Duration value) {
    schedulerPoll = value;
    return this;
  }

  public java.time.Duration schedulerPoll() {
    return schedulerPoll;
  }

  public LocalStackOptions sqsPollWaitSeconds(int value) {
    if (value < 0 || value > 20) {
      throw new IllegalArgumentException("sqsPollWaitSeconds must be 0..20");
    }
    sqsPollWaitSeconds = value;
    return this;
  }

  /**
   * The most invocations of one function at once (each on its own handler instance, as Lambda gives
   * each concurrent invocation its own environment), and the most batches an SQS event source has
   * in its function at once (fewer when the mapping's {@code ScalingConfig.MaximumConcurrency} or
   * the function's {@code ReservedConcurrentExecutions} says so). 1 runs each function one
   * invocation at a time. Default {@value #DEFAULT_CONCURRENCY}.
   */
  public LocalStackOptions concurrency(int value) {
    if (value < 1 || value > 64) {
      throw new IllegalArgumentException("concurrency must be 1..64");
    }
    concurrency = value;
    return this;
  }

  public int concurrency() {
    return concurrency;
  }

  /** Log handler exceptions with messages and full stack traces (synthetic data only). */
  public LocalStackOptions verboseErrors(boolean value) {
    verboseErrors = value;
    return this;
  }

  /**
   * {@code false}: ElasticMQ keeps queues and messages in memory only (nothing survives a restart,
   * but several stacks may then run in one JVM at once). Default {@code true}: an H2 store in the
   * data directory; ElasticMQ allows one such store per JVM at a time.
   */
  public LocalStackOptions persistentQueues(boolean value) {
    persistentQueues = value;
    return this;
  }

  /** Where handler classes are loaded from (default: the local stack's own class loader). */
  public LocalStackOptions classLoader(ClassLoader value) {
    classLoader = value;
    return this;
  }

  public Path template() {
    return template;
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean deleteDataDirOnClose() {
    return temporaryDataDir;
  }

  public String host() {
    return host;
  }

  public int apiPort() {
    return apiPort;
  }

  public int sqsPort() {
    return sqsPort;
  }

  public int motoPort() {
    return motoPort;
  }

  public URI motoEndpoint() {
    return motoEndpoint;
  }

  public String motoCommand() {
    return motoCommand;
  }

  public Duration motoStartTimeout() {
    return motoStartTimeout;
  }

  public String stackName() {
    return stackName;
  }

  public Map<String, String> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  public Map<String, String> imports() {
    return Collections.unmodifiableMap(imports);
  }

  public Map<String, String> secretValues() {
    return Collections.unmodifiableMap(secretValues);
  }

  public Map<String, String> environment() {
    return Collections.unmodifiableMap(environment);
  }

  public String devSigningSecret() {
    return devSigningSecret;
  }

  public boolean runFunctions() {
    return runFunctions;
  }

  public int sqsPollWaitSeconds() {
    return sqsPollWaitSeconds;
  }

  public boolean verboseErrors() {
    return verboseErrors;
  }

  public boolean persistentQueues() {
    return persistentQueues;
  }

  public ClassLoader classLoader() {
    return classLoader != null ? classLoader : LocalStackOptions.class.getClassLoader();
  }
}
