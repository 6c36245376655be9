package io.telebridge.local.emulator;

import io.telebridge.local.aws.AwsClients;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Keeps ElasticMQ's FIFO deduplication across its restart, as SQS keeps it: a deduplication id
 * sent in the last five minutes is refused again even after its message was delivered and deleted.
 *
 * <p>Why: ElasticMQ keeps its deduplication history in memory and rebuilds it at start from the
 * messages still stored, so it forgets the ids of messages already deleted. A consumer whose batch
 * was redelivered after a restart (its delete did not reach the stopped server: at least once) sends
 * its output again with the same ids — the translator's HL7 with MSH-10 as deduplication id — and
 * ElasticMQ, unlike SQS, accepts it: the EHR got the same message twice (docs/measurements.md §14,
 * sqs-restart).
 *
 * <p>How, in ElasticMQ's own H2 store: an H2 trigger on each FIFO queue's message table records every
 * message added (table, message id, deduplication id, created) in {@code telebridge_fifo_sent}. Before
 * the server reads its store, each recorded id younger than five minutes whose message is gone goes
 * back into the table as a tombstone: a message never visible (its next delivery far in the future),
 * in a group of its own, with a receipt handle known here. ElasticMQ restores it into its
 * deduplication history like any stored message; once restored, {@link #removeTombstones} deletes it
 * through the SQS API with that receipt handle (the history keeps the id until its five minutes end).
 */
final class FifoDeduplicationStore {

  private static final Logger LOG = LoggerFactory.getLogger(FifoDeduplicationStore.class);

  static final String TABLE = "telebridge_fifo_sent";
  static final String TOMBSTONE_GROUP = "telebridge.deduplication-tombstone";
  static final String TOMBSTONE_PREFIX = "tb-dedup-";
  private static final String RECEIPT_SUFFIX = "#telebridge-tombstone";
  /** SQS's deduplication interval. */
  static final long INTERVAL_MILLIS = 5 * 60_000L;
  /**
   * A tombstone's next delivery, from the restart: never within a run (removed at once anyway), and
   * within the 248 days ElasticMQ's scheduler accepts when it waits for the queue's next message.
   */
  private static final long HIDDEN_MILLIS = 24 * 3_600_000L;

  private FifoDeduplicationStore() {}

  /** A tombstone to remove once the server runs: its queue (by message table) and receipt handle. */
  record Tombstone(String queueName, String receiptHandle) {}

  /** Records the messages of these FIFO message tables from now on (idempotent). */
  static void track(Connection c, List<String> fifoMessageTables) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("create table if not exists " + TABLE + " (table_name varchar not null, message_id varchar not null, "
          + "deduplication_id varchar not null, created bigint not null)");
      for (String table : fifoMessageTables) {
        st.execute("create trigger if not exists " + triggerName(table) + " after insert on " + table
            + " for each row call '" + Recorder.class.getName() + "'");
      }
    }
  }

  private static String triggerName(String table) {
    return ("tb_dedup_" + table).toLowerCase(Locale.ROOT);
  }

  /**
   * Puts back, as tombstones, the ids of messages deleted in the last five minutes, and forgets older
   * ones. Call before the server reads the store.
   */
  static List<Tombstone> restore(Connection c, java.util.Map<String, String> fifoTablesByQueue, long nowMillis)
      throws SQLException {
    List<String> fifoMessageTables = List.copyOf(fifoTablesByQueue.values());
    track(c, fifoMessageTables);
    List<Tombstone> out = new ArrayList<>();
    try (PreparedStatement prune = c.prepareStatement("delete from " + TABLE + " where created < ?")) {
      prune.setLong(1, nowMillis - INTERVAL_MILLIS);
      prune.executeUpdate();
    }
    for (var queue : fifoTablesByQueue.entrySet()) {
      String table = queue.getValue();
      List<String[]> gone = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("select s.deduplication_id, s.created from " + TABLE + " s"
          + " where s.table_name = ? and not exists (select 1 from " + table + " m where m.deduplication_id = s.deduplication_id)")) {
        st.setString(1, table.toLowerCase(Locale.ROOT));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            gone.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2))});
          }
        }
      }
      try (PreparedStatement insert = c.prepareStatement("insert into " + table + " (message_id, delivery_receipts, "
          + "next_delivery, content, attributes, created, received, receive_count, group_id, deduplication_id) "
          + "values (?, ?, ?, ?, ?, ?, null, 0, ?, ?)")) {
        for (String[] g : gone) {
          String id = TOMBSTONE_PREFIX + UUID.randomUUID();
          String receipt = id + RECEIPT_SUFFIX;
          insert.setString(1, id);
          insert.setBytes(2, ("[\"" + receipt + "\"]").getBytes(java.nio.charset.StandardCharsets.UTF_8));
          insert.setLong(3, nowMillis + HIDDEN_MILLIS);
          insert.setBytes(4, new byte[0]);
          insert.setBytes(5, "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
          insert.setLong(6, Long.parseLong(g[1]));
          insert.setString(7, TOMBSTONE_GROUP);
          insert.setString(8, g[0]);
          insert.executeUpdate();
          out.add(new Tombstone(queue.getKey(), receipt));
        }
      }
    }
    // the trigger recorded the tombstones too: drop those records, the originals' stay
    try (Statement st = c.createStatement()) {
      st.executeUpdate("delete from " + TABLE + " where message_id like '" + TOMBSTONE_PREFIX + "%'");
    }
    return out;
  }

  /** The message tables (by queue name) of these FIFO queues that exist in the store. */
  private static Map<String, String> fifoTables(Connection c, Collection<String> queues,
      UnaryOperator<String> messageTable) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : queues) {
      if (!name.endsWith(".fifo")) {
        continue;
      }
      String table = messageTable.apply(name);
      try (java.sql.PreparedStatement st = c.prepareStatement(
          "select count(*) from information_schema.tables where upper(table_name) = upper(?)")) {
        st.setString(1, table);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next() && rs.getLong(1) > 0) {
            out.put(name, table);
          }
        }
      }
    }
    return out;
  }

  /** Before the server reads the store: the tombstones to remove once it runs. */
  static List<Tombstone> restore(String h2Url, Path dataDir, Collection<String> queues, UnaryOperator<String> messageTable) {
    if (queues.isEmpty()) {
      return List.of();
    }
    try (Connection c = DriverManager.getConnection(h2Url, "", "")) {
      List<Tombstone> tombstones = restore(c, fifoTables(c, queues, messageTable), System.currentTimeMillis());
      if (!tombstones.isEmpty()) {
        LOG.info("ElasticMQ: {} FIFO deduplication id(s) of deleted messages kept (SQS keeps them 5 min)", tombstones.size());
      }
      return tombstones;
    } catch (SQLException e) {
      LOG.warn("could not restore the FIFO deduplication ids in {}: {}", dataDir, e.toString());
      return List.of();
    }
  }

  /** Once the server has restored its store: deletes the tombstones through the SQS API. */
  static void removeTombstones(URI endpoint, List<Tombstone> tombstones) {
    if (tombstones.isEmpty()) {
      return;
    }
    try (SqsClient sqs = AwsClients.sqs(endpoint)) {
      for (Tombstone t : tombstones) {
        String url = sqs.getQueueUrl(b -> b.queueName(t.queueName())).queueUrl();
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(t.receiptHandle()));
      }
    } catch (SdkException e) {
      LOG.warn("ElasticMQ: deduplication tombstones not all removed (they stay invisible): {}", e.toString());
    }
  }

  /** Records from now on the deduplication ids sent to these queues' FIFO ones (waits up to 10 s for their tables). */
  static void track(String h2Url, Path dataDir, Collection<String> queueNames, UnaryOperator<String> messageTable) {
    List<String> fifo = queueNames.stream().filter(n -> n.endsWith(".fifo")).toList();
    long deadline = System.nanoTime() + 10_000_000_000L;
    try (Connection c = DriverManager.getConnection(h2Url, "", "")) {
      Map<String, String> tables = fifoTables(c, fifo, messageTable);
      while (tables.size() < fifo.size() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        tables = fifoTables(c, fifo, messageTable);
      }
      if (tables.size() < fifo.size()) {
        LOG.warn("ElasticMQ: no store table yet for {} queue(s); their deduplication ids do not survive a restart",
            fifo.size() - tables.size());
      }
      track(c, List.copyOf(tables.values()));
    } catch (SQLException e) {
      LOG.warn("ElasticMQ: deduplication ids not recorded in {}: {}", dataDir, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The H2 trigger: one row in {@link #TABLE} per message added to a FIFO queue. */
  public static final class Recorder implements org.h2.api.Trigger {

    private String table;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
      this.table = tableName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
      // columns as ElasticMQ's MessageRepository creates them: message_id 0, created 5, deduplication_id 9
      if (newRow == null || newRow[9] == null) {
        return;
      }
      try (PreparedStatement st = conn.prepareStatement("insert into " + TABLE
          + " (table_name, message_id, deduplication_id, created) values (?, ?, ?, ?)")) {
        st.setString(1, table);
        st.setString(2, String.valueOf(newRow[0]));
        st.setString(3, String.valueOf(newRow[9]));
        st.setLong(4, ((Number) newRow[5]).longValue());
        st.executeUpdate();
      } catch (SQLException e) {
        LOG.debug("deduplication id not recorded: {}", e.toString());
      }
    }
  }
}
