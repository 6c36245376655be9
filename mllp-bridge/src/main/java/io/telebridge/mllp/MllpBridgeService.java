package io.telebridge.mllp;

import io.telebridge.mllp.bridge.Backoff;
import io.telebridge.mllp.bridge.Bridge;
import io.telebridge.mllp.bridge.BridgeConfig;
import io.telebridge.mllp.bridge.EmfMetrics;
import io.telebridge.mllp.bridge.HealthServer;
import io.telebridge.mllp.bridge.MllpClient;
import io.telebridge.mllp.bridge.SqsOutboundQueue;
import io.telebridge.mllp.hl7.AckReader;
import io.telebridge.mllp.listener.AcceptInboundFrame;
import io.telebridge.mllp.listener.MllpListener;
import io.telebridge.mllp.listener.SqsInboundStore;
import java.io.IOException;
import java.time.Duration;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The running bridge: the sender loop on its own thread, the MLLP listener (when configured), the
 * health endpoint, the SQS clients.
 * {@link BridgeMain} runs one in the container; the local stack and the tests run one in-process.
 *
 * <pre>{@code
 * try (MllpBridgeService bridge = MllpBridgeService.start(BridgeConfig.fromEnvironment(env))) {
 *   ...
 * } // close() = drain: stop polling, finish the message in flight, within DRAIN_TIMEOUT_SECONDS
 * }</pre>
 */
public final class MllpBridgeService implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(MllpBridgeService.class.getName());

  private final BridgeConfig config;
  private final Bridge bridge;
  private final Thread worker;
  private final HealthServer health;
  private final SqsClient ownedSqs;
  private final MllpListener listener;
  private final SqsClient ownedListenerSqs;
  private final java.util.concurrent.ScheduledExecutorService status;
  private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
  private volatile boolean closed;

  /** How often the link status (EhrConnected, ListenerReady, ListenerConnections) goes out as EMF. */
  public static final Duration STATUS_INTERVAL = Duration.ofSeconds(60);

  private MllpBridgeService(BridgeConfig config, Bridge bridge, Thread worker, HealthServer health, SqsClient ownedSqs,
      MllpListener listener, SqsClient ownedListenerSqs, java.util.concurrent.ScheduledExecutorService status) {
    this.config = config;
    this.bridge = bridge;
    this.worker = worker;
    this.health = health;
    this.ownedSqs = ownedSqs;
    this.listener = listener;
    this.ownedListenerSqs = ownedListenerSqs;
    this.status = status;
  }

  /** With PAYLOAD_BUCKET: claim checks on the to-EHR queue are redeemed from S3 (verified); else refused. */
  private static java.util.function.UnaryOperator<String> redeemer(BridgeConfig config) {
    if (config.payloadBucket() == null) {
      return Bridge::noClaimChecks;
    }
    io.telebridge.core.claimcheck.ClaimChecks claimChecks = new io.telebridge.core.claimcheck.ClaimChecks(
        new io.telebridge.aws.S3PayloadStore(io.telebridge.aws.S3PayloadStore.client(config.aws()), config.payloadBucket(), null));
    return claimChecks::redeem;
  }

  /** Starts with its own SQS client and EMF metrics on stdout. */
  public static MllpBridgeService start(BridgeConfig config) throws IOException {
    return start(config, null, EmfMetrics.stdout());
  }

  /**
   * Starts the bridge.
   *
   * @param sqs an SQS client to use (not closed by the service), or null to build one from the configuration
   * @param metrics where EMF lines go
   */
  public static MllpBridgeService start(BridgeConfig config, SqsClient sqs, EmfMetrics metrics) throws IOException {
    return start(config, sqs, metrics, BridgeJournal.NONE);
  }

  /**
   * Starts the bridge with its journal.
   *
   * @param journal where the sender and the listener record their steps (BridgeJournal.fromEnvironment)
   */
  public static MllpBridgeService start(BridgeConfig config, SqsClient sqs, EmfMetrics metrics, BridgeJournal journal)
      throws IOException {
    return start(config, sqs, metrics, journal, io.telebridge.mllp.bridge.SentLedger.NONE);
  }

  /**
   * Starts the bridge with its journal and its sent ledger.
   *
   * @param ledger the EHR's accepted messages by tenant and MSH-10 (DynamoDbSentLedger.fromEnvironment): a copy
   *     of one is deleted unsent
   */
  public static MllpBridgeService start(BridgeConfig config, SqsClient sqs, EmfMetrics metrics, BridgeJournal journal,
      io.telebridge.mllp.bridge.SentLedger ledger) throws IOException {
    Bridge bridge = null;
    SqsClient owned = null;
    if (config.senderEnabled()) { // off in a listener-only task: one sender per queue (docs/architecture.md)
      owned = sqs == null ? SqsOutboundQueue.client(config.aws(), config.pollWait()) : null;
      SqsClient client = sqs == null ? owned : sqs;
      AckReader acks = new AckReader();
      acks.warmUp();
      bridge = new Bridge(config,
          new SqsOutboundQueue(client, config.queueUrl(), config.deadLetterQueueUrl()),
          MllpClient.of(config), acks, metrics,
          new Backoff(config.reconnectMin(), config.reconnectMax(), RandomGenerator.of("L64X128MixRandom")),
          redeemer(config))
          .journal(journal)
          .ledger(ledger);
    }
    MllpListener listener = null;
    SqsClient ownedListenerSqs = null;
    HealthServer health;
    try {
      if (config.listener().enabled()) {
        // its own client when none is given: short timeouts, the EHR waits for the ACK
        ownedListenerSqs = sqs == null ? SqsInboundStore.client(config.aws()) : null;
        listener = startListener(config, sqs == null ? ownedListenerSqs : sqs, journal);
      }
      health = HealthServer.start(config.healthHost(), config.healthPort(), bridge, listener);
    } catch (IOException | RuntimeException e) {
      if (listener != null) {
        listener.close(Duration.ZERO);
      }
      if (ownedListenerSqs != null) {
        ownedListenerSqs.close();
      }
      if (owned != null) {
        owned.close();
      }
      throw e;
    }
    Thread worker = null;
    if (bridge != null) {
      worker = Thread.ofPlatform().name("mllp-sender").daemon(false).unstarted(bridge);
      worker.start();
    }
    var status = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("mllp-bridge-status").daemon(true).factory());
    Bridge b = bridge;
    MllpListener l = listener;
    status.scheduleAtFixedRate(() -> publishStatus(metrics, b, l), STATUS_INTERVAL.toMillis(), STATUS_INTERVAL.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    LOG.log(System.Logger.Level.INFO, "mllp-bridge started: {0}; health on port {1}", config, String.valueOf(health.port()));
    return new MllpBridgeService(config, bridge, worker, health, owned, listener, ownedListenerSqs, status);
  }

  /** The link status as EMF (the BridgeDisconnected alarm reads EhrConnected). */
  static void publishStatus(EmfMetrics metrics, Bridge bridge, MllpListener listener) {
    try {
      metrics.publishStatus(bridge == null ? null : bridge.ehrConnected(), listener == null ? null : listener.ready(),
          listener == null ? -1 : listener.openConnections());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "status metrics not published ({0})", e.getClass().getSimpleName());
    }
  }

  /** Publishes the link status now (tests; otherwise every {@link #STATUS_INTERVAL}). */
  public void publishStatusNow(EmfMetrics metrics) {
    publishStatus(metrics, bridge, listener);
  }

  /**
   * The MLLP listener: decides with the from-EHR translator's own reader (the same EHR profile and time
   * zone), persists to SQS, then ACKs.
   */
  static MllpListener startListener(BridgeConfig config, SqsClient sqs) throws IOException {
    return startListener(config, sqs, BridgeJournal.NONE);
  }

  static MllpListener startListener(BridgeConfig config, SqsClient sqs, BridgeJournal journal) throws IOException {
    var l = config.listener();
    java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    String prefix = "TB" + Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase(java.util.Locale.ROOT);
    AcceptInboundFrame accept = new AcceptInboundFrame(
        new SqsInboundStore(sqs, l.fromEhrQueueUrl(), l.quarantineQueueUrl()),
        new io.telebridge.hl7v2.FromEhrReader(l.platformAuthority(), l.ehrTimeZone()), l.defaultCharset(),
        java.time.Clock.systemUTC(),
        () -> prefix + sequence.incrementAndGet());
    accept.warmUp();
    return new MllpListener(l, accept).onReply(journal::received).start();
  }

  /** The MLLP listener, or null when it is off. */
  public MllpListener listener() {
    return listener;
  }

  public int healthPort() {
    return health.port();
  }

  public Bridge bridge() {
    return bridge;
  }

  public BridgeConfig config() {
    return config;
  }

  /**
   * Stops polling, lets the message in flight finish, and returns whether the sender stopped within
   * {@code timeout}. If it did not, the connection is dropped (the message in flight returns to the
   * queue after its visibility timeout: at least once).
   */
  public boolean shutdown(Duration timeout) {
    if (closed) {
      return true;
    }
    closed = true;
    long started = System.nanoTime();
    status.shutdownNow();
    if (listener != null) { // first: no new messages; those in the middle of persisting finish (within half the budget)
      listener.close(bridge == null ? timeout : timeout.dividedBy(2));
    }
    boolean drained = true;
    if (bridge != null) { // a listener-only task has nothing to drain
      drained = drainSender(timeout, started);
    }
    health.close();
    if (ownedSqs != null) {
      ownedSqs.close();
    }
    if (ownedListenerSqs != null) {
      ownedListenerSqs.close();
    }
    LOG.log(System.Logger.Level.INFO, "mllp-bridge stopped in {0} ms ({1})",
        String.valueOf((System.nanoTime() - started) / 1_000_000),
        drained ? "drained" : "aborted");
    stopped.countDown();
    return drained;
  }

  private boolean drainSender(Duration timeout, long started) {
    bridge.requestStop();
    try {
      Duration left = timeout.minusNanos(System.nanoTime() - started);
      boolean drained = bridge.awaitFinished(left.isNegative() ? Duration.ZERO : left);
      if (!drained) {
        LOG.log(System.Logger.Level.WARNING, "drain timeout ({0} s) passed; dropping the EHR connection",
            String.valueOf(timeout.toSeconds()));
        bridge.abort();
        worker.join(2_000);
      }
      return drained;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until the sender loop has ended (after a shutdown); without a sender, until the shutdown. */
  public void awaitTermination() throws InterruptedException {
    if (worker != null) {
      worker.join();
    } else {
      stopped.await();
    }
  }

  @Override
  public void close() {
    shutdown(config.drainTimeout());
  }
}
