package io.telebridge.local;

import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.TemplateException;
import io.telebridge.local.template.TemplateResource;
import io.telebridge.mllp.MllpBridgeService;
import io.telebridge.mllp.bridge.BridgeConfig;
import io.telebridge.mllp.bridge.EmfMetrics;
import io.telebridge.mllp.sim.EhrSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's MLLP bridge (as the ECS task runs it, sender and listener in one) and the bundled
 * EHR simulator it talks to unless an external EHR is configured. Part of {@link LocalStack}.
 */
final class LocalBridge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalBridge.class);

  private final LocalStack stack;
  private MllpBridgeService bridge;
  private EhrSimulator ehrSimulator;
  private Map<String, String> bridgeEnvironment = Map.of();
  private java.io.Writer bridgeMetrics;
  private final Object bridgeMetricsLock = new Object();

  LocalBridge(LocalStack stack) {
    this.stack = stack;
  }

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
  void start() throws IOException {
    if (!stack.queues.containsKey(BRIDGE_QUEUE) || !stack.queues.containsKey(BRIDGE_DLQ)) {
      stack.warn("MLLP bridge not started: the template has no " + BRIDGE_QUEUE + " / " + BRIDGE_DLQ);
      return;
    }
    String ehrHost;
    int ehrPort;
    if (stack.options.externalEhrHost() != null) {
      ehrHost = stack.options.externalEhrHost();
      ehrPort = stack.options.externalEhrPort();
    } else {
      try {
        ehrSimulator = EhrSimulator.builder().host(stack.options.host()).port(stack.options.ehrSimulatorPort())
            .controlPort(stack.options.ehrControlPort()).recordDir(stack.dataDir.resolve("ehr-simulator"))
            .maxFrameBytes(EHR_SIMULATOR_MAX_FRAME_BYTES) // takes what the profile's maxMessageBytes lets through
            .console(stack.options.ehrConsole()).start();
      } catch (java.net.BindException e) {
        throw new IOException("the EHR simulator cannot listen on " + stack.options.host() + ":" + stack.options.ehrSimulatorPort()
            + " (MLLP) or :" + stack.options.ehrControlPort() + " (control): in use? Choose others with --ehr-port / "
            + "--ehr-control-port, or run without the bridge (--no-bridge)", e);
      }
      ehrHost = stack.options.host();
      ehrPort = ehrSimulator.port();
    }
    bridgeEnvironment = Collections.unmodifiableMap(bridgeEnvironment(ehrHost, ehrPort));
    BridgeConfig config;
    try {
      config = BridgeConfig.fromEnvironment(bridgeEnvironment);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the MLLP bridge's local configuration is invalid: " + e.getMessage(), e);
    }
    Path metricsDir = Files.createDirectories(stack.dataDir.resolve("mllp-bridge"));
    bridgeMetrics = Files.newBufferedWriter(metricsDir.resolve("metrics.jsonl"), java.nio.charset.StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    try {
      bridge = MllpBridgeService.start(config, null, new EmfMetrics(this::writeBridgeMetric, System::currentTimeMillis),
          io.telebridge.mllp.BridgeJournal.fromEnvironment(bridgeEnvironment, config.aws()),
          io.telebridge.mllp.DynamoDbSentLedger.fromEnvironment(bridgeEnvironment, config.aws()));
    } catch (java.net.BindException e) {
      throw new IOException("the MLLP bridge's health endpoint (:" + stack.options.bridgeHealthPort() + ") or its MLLP listener (:"
          + stack.options.mllpListenPort() + ") cannot listen on " + stack.options.host() + ": in use? Choose others with "
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
      env.put("TO_EHR_QUEUE_URL", stack.queueUrl(BRIDGE_QUEUE)); // the convention when the template has no task definition
    }
    if (env.getOrDefault("TO_EHR_DLQ_URL", "").isBlank()) {
      env.put("TO_EHR_DLQ_URL", stack.queueUrl(BRIDGE_DLQ));
    }
    env.putAll(stack.awsEnvironment());
    // the local stack is not a deployed environment: plain MLLP and any client on the listener (a deployed
    // bridge refuses to start without TLS material and an allow-list); one task runs sender and listener
    env.put("ENVIRONMENT", BridgeConfig.LOCAL_ENVIRONMENT);
    env.put("MLLP_TLS", "false");
    env.remove("MLLP_ALLOWED_CLIENTS");
    env.put("SENDER_ENABLED", "true");
    env.put("EHR_HOST", ehrHost);
    env.put("EHR_PORT", Integer.toString(ehrPort));
    env.put("EHR_TLS", "false"); // the simulator speaks plain MLLP; --bridge-env EHR_TLS=true for an external EHR
    env.put("HEALTH_HOST", stack.options.host());
    env.put("HEALTH_PORT", Integer.toString(stack.options.bridgeHealthPort()));
    env.put("POLL_WAIT_SECONDS", Integer.toString(stack.options.sqsPollWaitSeconds())); // stops quickly on Ctrl-C
    // the MLLP listener (return path), on the template's from-EHR and quarantine queues
    if (stack.options.mllpListenPort() >= 0 && stack.queues.containsKey(FROM_EHR_QUEUE) && stack.queues.containsKey(QUARANTINE_QUEUE)) {
      env.put("FROM_EHR_QUEUE_URL", stack.queueUrl(FROM_EHR_QUEUE));
      env.put("QUARANTINE_QUEUE_URL", stack.queueUrl(QUARANTINE_QUEUE));
      env.put("MLLP_LISTEN_HOST", stack.options.host());
      env.put("MLLP_LISTEN_PORT", Integer.toString(stack.options.mllpListenPort()));
    } else {
      env.remove("FROM_EHR_QUEUE_URL");
      env.remove("QUARANTINE_QUEUE_URL");
      env.put("MLLP_LISTEN_PORT", "off");
    }
    env.putAll(stack.options.bridgeEnvironment());
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
    for (TemplateResource r : stack.template.resourcesOfType("AWS::ECS::TaskDefinition")) {
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
              Object value = kv.get("Value") == null ? "" : stack.resolver.resolve(kv.get("Value"));
              env.put(str(kv.get("Name")), value == null ? "" : str(value));
            }
          }
        } catch (TemplateException | ClassCastException e) {
          stack.warn(r.logicalId() + ": the bridge container's environment could not be resolved (" + e.getMessage()
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

  /** Drains the bridge (the message in flight is finished, the rest returns to the queue), then stops the simulator. */
  @Override
  public void close() {
    if (bridge != null) {
      LocalStack.closeQuietly(bridge);
    }
    if (bridgeMetrics != null) {
      synchronized (bridgeMetricsLock) {
        LocalStack.closeQuietly(bridgeMetrics);
      }
    }
    if (ehrSimulator != null) {
      LocalStack.closeQuietly(ehrSimulator);
    }
  }

  private static String str(Object value) {
    return StackResolver.scalarToString(value);
  }
}
