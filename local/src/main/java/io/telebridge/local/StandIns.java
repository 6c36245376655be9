package io.telebridge.local;

import io.telebridge.local.emulator.ElasticMq;
import io.telebridge.local.emulator.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/**
 * The AWS stand-ins of a {@link LocalStack}: moto (a child process: DynamoDB, Secrets Manager, S3,
 * Scheduler) and ElasticMQ (SQS, in this JVM), both keeping their state in the data directory —
 * or the endpoints given instead — and the faults {@code ./tb bench faults} injects into them.
 */
final class StandIns implements AutoCloseable {

  private final LocalStackOptions options;
  private final Path dataDir;
  private MotoServer moto;
  private URI motoEndpoint;
  private ElasticMq elasticMq;
  private URI sqsEndpoint;

  StandIns(LocalStackOptions options, Path dataDir) {
    this.options = options;
    this.dataDir = dataDir;
  }

  /** Spawns moto (unless an endpoint was given); {@link #awaitMoto()} waits for it. */
  void spawnMoto() throws IOException {
    if (options.motoEndpoint() != null) {
      motoEndpoint = options.motoEndpoint();
      return;
    }
    // tables, secrets, schedules survive stop, crash and restart, like the queues
    moto = MotoServer.spawn(options.motoCommand(), options.host(), options.motoPort(), dataDir.resolve("moto.log"),
        dataDir.resolve("moto"));
    motoEndpoint = moto.endpoint();
  }

  void awaitMoto() throws IOException {
    if (moto != null) {
      moto.awaitReady(options.motoStartTimeout());
    }
  }

  /** Starts ElasticMQ on its store (unless an endpoint was given). */
  void startElasticMq() throws IOException {
    if (options.sqsEndpoint() != null) {
      sqsEndpoint = options.sqsEndpoint();
      return;
    }
    elasticMq = ElasticMq.start(options.host(), options.sqsPort(), dataDir, options.persistentQueues());
    sqsEndpoint = elasticMq.endpoint();
  }

  /** See {@link ElasticMq#trackDeduplication}; nothing for an SQS endpoint that is not ours. */
  synchronized void trackDeduplication(Collection<String> queueNames) {
    if (elasticMq != null) {
      elasticMq.trackDeduplication(queueNames);
    }
  }

  URI motoEndpoint() {
    return motoEndpoint;
  }

  URI sqsEndpoint() {
    return sqsEndpoint;
  }

  /**
   * moto alone crashes (SIGKILL: no snapshot), stays down for {@code down}, and starts again on the
   * same port and state directory (it replays its fsync'd log). The functions' clients keep their
   * endpoint and see refused connections meanwhile.
   */
  void crashAndRestartMoto(Duration down) throws IOException, InterruptedException {
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
   * again on the same port and data directory (queues, messages and the FIFO deduplication ids of
   * the last five minutes restored from its store).
   */
  void restartElasticMq(Duration down) throws IOException, InterruptedException {
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

  /** Stops ElasticMQ, then moto. */
  @Override
  public synchronized void close() {
    if (elasticMq != null) {
      LocalStack.closeQuietly(elasticMq);
    }
    if (moto != null) {
      LocalStack.closeQuietly(moto);
    }
  }
}
