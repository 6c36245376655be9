package io.telebridge.mllp;

import io.telebridge.core.log.JsonLines;
import io.telebridge.mllp.bridge.BridgeConfig;

/**
 * The container's entry point: configuration from the environment (validated; exit 2 when it is
 * wrong), JSON-lines logs on stderr, EMF metrics on stdout, and a SIGTERM hook that drains within
 * DRAIN_TIMEOUT_SECONDS.
 */
public final class BridgeMain {

  private BridgeMain() {}

  public static void main(String[] args) throws Exception {
    JsonLines.install();
    System.Logger log = System.getLogger(BridgeMain.class.getName());
    BridgeConfig config;
    java.util.Map<String, String> env = io.telebridge.core.config.ProcessEnvironment.read();
    try {
      config = BridgeConfig.fromEnvironment(env);
    } catch (IllegalStateException e) {
      log.log(System.Logger.Level.ERROR, e.getMessage());
      System.exit(2);
      return;
    }
    MllpBridgeService service = MllpBridgeService.start(config, null, io.telebridge.mllp.bridge.EmfMetrics.stdout(),
        BridgeJournal.fromEnvironment(env, config.aws()), DynamoDbSentLedger.fromEnvironment(env, config.aws()));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // java.util.logging resets its handlers in its own shutdown hook, concurrently with this one
      JsonLines.writeDirect(BridgeMain.class.getName(), java.util.logging.Level.INFO,
          "SIGTERM: draining (at most " + config.drainTimeout().toSeconds() + " s)");
      service.shutdown(config.drainTimeout());
    }, "mllp-bridge-drain"));
    service.awaitTermination();
  }
}
