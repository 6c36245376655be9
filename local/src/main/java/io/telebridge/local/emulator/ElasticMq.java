package io.telebridge.local.emulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.telebridge.local.aws.AwsClients;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElasticMQ embedded in this JVM: the SQS stand-in. Queues and messages are stored in an H2
 * database under the data directory, so they survive a restart; ARNs read
 * {@code arn:aws:sqs:us-east-1:000000000000:<name>} as on AWS.
 *
 * <p>ElasticMQ's SQL store goes through scalikejdbc's JVM-wide default connection pool, which
 * ElasticMQ initialises only once per JVM. This class points that pool at the data directory of
 * each new server and closes it when the server stops, so that successive servers in one JVM
 * (tests, restarts) each use their own directory. Two persistent servers cannot run in one JVM
 * at the same time: the second one fails to start; use {@code persistent = false} for it.
 */
public final class ElasticMq implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ElasticMq.class);

  private static final Object STORE_LOCK = new Object();
  private static ElasticMq storeOwner;

  private final String host;
  private final int port;
  private final Path dataDir;
  private final boolean persistent;
  private scala.Function0<?> shutdown;
  private ElasticMQServer server;

  private ElasticMq(String host, int port, Path dataDir, boolean persistent) {
    this.host = host;
    this.port = port;
    this.dataDir = dataDir;
    this.persistent = persistent;
  }

  /**
   * Starts ElasticMQ on {@code host:port} ({@code port} 0 picks a free one) with its H2 store in
   * {@code dataDir}.
   */
  public static ElasticMq start(String host, int port, Path dataDir) throws IOException {
    return start(host, port, dataDir, true);
  }

  /**
   * As {@link #start(String, int, Path)}; with {@code persistent = false} queues and messages live
   * in memory only (and several such servers may run in one JVM).
   */
  public static ElasticMq start(String host, int port, Path dataDir, boolean persistent) throws IOException {
    Files.createDirectories(dataDir);
    int chosen = port == 0 ? Ports.free(host) : port;
    ElasticMq mq = new ElasticMq(host, chosen, dataDir.toAbsolutePath().normalize(), persistent);
    if (!persistent) {
      mq.startServer();
      return mq;
    }
    synchronized (STORE_LOCK) {
      if (storeOwner != null) {
        throw new IllegalStateException("a persistent ElasticMQ already runs in this JVM (" + storeOwner.endpoint()
            + ", data in " + storeOwner.dataDir + "); ElasticMQ's SQL store is one per JVM: stop that one first, "
            + "or start this one without persistence");
      }
      String h2 = mq.h2Url();
      pointStoreAt(h2);
      storeOwner = mq;
      try {
        Map<String, Long> stored = mq.storedQueues();
        mq.requeueInFlightInOrder(stored.keySet());
        List<FifoDeduplicationStore.Tombstone> tombstones = mq.restoreDeduplication(stored.keySet());
        mq.startServer();
        mq.awaitRestored(stored, Duration.ofSeconds(30));
        mq.removeTombstones(tombstones);
      } catch (RuntimeException e) {
        mq.close();
        storeOwner = null;
        scalikejdbc.ConnectionPool.closeAll();
        throw e;
      }
    }
    return mq;
  }

  /**
   * Queue names and message counts in the H2 store, read before the server starts. ElasticMQ
   * restores them asynchronously after its REST API is already up (and stops itself if a
   * CreateQueue of ours wins the race for a stored queue), so {@link #awaitRestored} waits for them.
   */
  private Map<String, Long> storedQueues() {
    Map<String, Long> out = new LinkedHashMap<>();
    if (!Files.exists(dataDir.resolve("elasticmq-h2.mv.db"))) {
      return out;
    }
    try (Connection c = DriverManager.getConnection(h2Url(), "", "")) {
      List<String> names = new ArrayList<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select name from queue")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      for (String name : names) {
        String table = messageTable(name);
        long count = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table)) {
          if (rs.next()) {
            count = rs.getLong(1);
          }
        } catch (SQLException e) {
          // no message table yet: no messages
        }
        out.put(name, count);
      }
    } catch (SQLException e) {
      if (e.getErrorCode() == 90020) { // H2 DATABASE_ALREADY_OPEN: the file is locked by another process
        throw new IllegalStateException("the data directory " + dataDir + " is in use by another local stack "
            + "(its ElasticMQ store is locked); stop that one, or give this one another --data-dir", e);
      }
      LOG.debug("no stored queues readable in {}: {}", dataDir, e.toString());
    }
    return out;
  }

  /** ElasticMQ's MessageRepository table of a queue. */
  private static String messageTable(String queueName) {
    return "message_" + queueName.replace(".", "_").replace("-", "_") + "_" + Integer.toHexString(queueName.hashCode());
  }

  /**
   * Keeps each FIFO group's order across a restart. ElasticMQ restores a message that was in flight
   * at the stop (received, not yet deleted) with its old visibility deadline but without its group's
   * lock, and orders restored messages by that deadline: the group's later messages were delivered
   * first, and the in-flight ones after them in any order (seen by {@code ./tb bench faults},
   * sqs-restart: SIU^S12 before its patient's ADT^A04). So before the server reads the store, every
   * restored FIFO message that is due or was received gets its sequence number as its delivery time:
   * visible at once, in the order it was sent. The in-flight message may so be delivered once more
   * (at least once: the EHR deduplicates on MSH-10); a message still delayed (DelaySeconds) keeps
   * its time.
   */
  private void requeueInFlightInOrder(java.util.Collection<String> queues) {
    if (queues.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    try (Connection c = DriverManager.getConnection(h2Url(), "", "")) {
      for (String name : queues) {
        if (!name.endsWith(".fifo")) {
          continue;
        }
        try (java.sql.PreparedStatement st = c.prepareStatement("update " + messageTable(name)
            + " set next_delivery = sequence_number where sequence_number is not null"
            + " and (received is not null or next_delivery <= ?)")) {
          st.setLong(1, now);
          int n = st.executeUpdate();
          if (n > 0) {
            LOG.debug("{}: {} stored message(s) put back in sequence order", name, n);
          }
        } catch (SQLException e) {
          // no message table yet: nothing to order
        }
      }
    } catch (SQLException e) {
      LOG.warn("could not put the stored FIFO messages of {} back in order: {}", dataDir, e.toString());
    }
  }

  /** See {@link FifoDeduplicationStore}: before the server reads the store. */
  private List<FifoDeduplicationStore.Tombstone> restoreDeduplication(java.util.Collection<String> queues) {
    return FifoDeduplicationStore.restore(h2Url(), dataDir, queues, ElasticMq::messageTable);
  }

  private void removeTombstones(List<FifoDeduplicationStore.Tombstone> tombstones) {
    FifoDeduplicationStore.removeTombstones(endpoint(), tombstones);
  }

  /**
   * Records from now on the deduplication ids sent to these queues (the FIFO ones), so that a
   * restart keeps them ({@link FifoDeduplicationStore}). Call once the queues exist; waits up to 10 s
   * for ElasticMQ's store to create their tables. No-op without persistence.
   */
  public void trackDeduplication(java.util.Collection<String> queueNames) {
    if (persistent) {
      FifoDeduplicationStore.track(h2Url(), dataDir, queueNames, ElasticMq::messageTable);
    }
  }

  /** Waits until every stored queue exists again with (at least) its stored messages. */
  private void awaitRestored(Map<String, Long> stored, Duration timeout) {
    if (stored.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SqsClient sqs = AwsClients.sqs(endpoint())) {
      while (true) {
        try {
          if (restored(sqs, stored)) {
            LOG.info("ElasticMQ restored {} queue(s) with {} message(s) from {}", stored.size(),
                stored.values().stream().mapToLong(Long::longValue).sum(), dataDir);
            return;
          }
        } catch (SdkException e) {
          // not answering (yet, or any more)
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ElasticMQ did not restore its queues from " + dataDir + " within "
              + timeout.toSeconds() + " s (it stops itself when a stored queue cannot be restored); "
              + "delete that directory (./tb local --reset) to start with empty queues");
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while ElasticMQ restored its queues", e);
        }
      }
    }
  }

  private static boolean restored(SqsClient sqs, Map<String, Long> stored) {
    Set<String> existing = new HashSet<>();
    for (String url : sqs.listQueues().queueUrls()) {
      existing.add(url.substring(url.lastIndexOf('/') + 1));
    }
    if (!existing.containsAll(stored.keySet())) {
      return false;
    }
    for (Map.Entry<String, Long> e : stored.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      String url = sqs.getQueueUrl(b -> b.queueName(e.getKey())).queueUrl();
      Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
      long total = a.values().stream().mapToLong(Long::parseLong).sum();
      if (total < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Replaces scalikejdbc's default pool (which ElasticMQ's SQL store uses) with one for this URL. */
  private static void pointStoreAt(String url) {
    try {
      Class.forName("org.h2.Driver");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the H2 driver is missing from the classpath", e);
    }
    scalikejdbc.ConnectionPoolSettings settings = scalikejdbc.ConnectionPool.singleton$default$4();
    scalikejdbc.ConnectionPool.singleton(url, "", "", settings,
        scalikejdbc.ConnectionPool.singleton$default$5(url, "", "", settings));
  }

  /**
   * {@code WRITE_DELAY=0}: each commit goes to the file at once. H2's default (500 ms) kept
   * acknowledged messages in memory for up to half a second, and a SIGKILL of the stack lost them
   * (LocalStackCrashIT).
   */
  private String h2Url() {
    return "jdbc:h2:" + dataDir.resolve("elasticmq-h2").toString().replace('\\', '/') + ";WRITE_DELAY=0";
  }

  private void startServer() {
    String h2 = h2Url();
    String hocon = """
        node-address { protocol = "http", host = %1$s, port = %2$d, context-path = "" }
        generate-node-address = false
        rest-sqs { enabled = true, bind-port = %2$d, bind-hostname = %1$s, sqs-limits = strict }
        rest-stats { enabled = false }
        aws { region = "us-east-1", accountId = "000000000000" }
        queues-storage { enabled = false }
        messages-storage {
          enabled = %4$s
          driver-class = "org.h2.Driver"
          uri = %3$s
          username = ""
          password = ""
          prune-data-on-init = false
        }
        """.formatted(quote(host), port, quote(h2), persistent);
    StoreKeepingSupervisor.install(); // before ConfigFactory.load(): ElasticMQ's actor system reads it too
    Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve();
    long started = System.nanoTime();
    try {
      server = new ElasticMQServer(new ElasticMQServerConfig(config));
      shutdown = server.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException("ElasticMQ could not start on " + host + ":" + port
          + " (is the port in use, or is the data directory " + dataDir + " used by another process?)", e);
    }
    LOG.info("ElasticMQ (SQS) on {} in {} ms, {}", endpoint(), (System.nanoTime() - started) / 1_000_000,
        persistent ? "data in " + dataDir : "in memory");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** ElasticMQ's actor system (tests: to reach its actors). */
  org.apache.pekko.actor.ActorSystem actorSystem() throws ReflectiveOperationException {
    java.lang.reflect.Field f = ElasticMQServer.class.getDeclaredField("actorSystem");
    f.setAccessible(true);
    return (org.apache.pekko.actor.ActorSystem) f.get(server);
  }

  public URI endpoint() {
    return URI.create("http://" + Ports.uriHost(host) + ":" + port);
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean isPersistent() {
    return persistent;
  }

  @Override
  public synchronized void close() {
    if (shutdown != null) {
      try {
        shutdown.apply();
      } catch (RuntimeException e) {
        LOG.warn("ElasticMQ did not stop cleanly: {}", e.toString());
      }
      shutdown = null;
      if (persistent) {
        synchronized (STORE_LOCK) {
          if (storeOwner == this) {
            scalikejdbc.ConnectionPool.closeAll();
            storeOwner = null;
          }
        }
      }
      LOG.info("ElasticMQ stopped");
    }
  }
}
