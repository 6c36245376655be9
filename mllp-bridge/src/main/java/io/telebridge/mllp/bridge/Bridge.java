package io.telebridge.mllp.bridge;

import io.telebridge.mllp.frame.MllpFramingException;
import io.telebridge.mllp.hl7.Ack;
import io.telebridge.mllp.hl7.AckFormatException;
import io.telebridge.mllp.hl7.AckReader;
import io.telebridge.hl7v2.Hl7Charsets;
import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.hl7v2.UnreadableMessageException;
import io.telebridge.mllp.hl7.RawHl7;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import io.telebridge.core.claimcheck.ClaimCheckException;

/**
 * The sender loop: long-poll the to-EHR queue, send each message in order over one persistent MLLP
 * connection, read its ACK, and settle the message:
 *
 * <ul>
 *   <li><b>AA / CA</b> whose MSA-2 equals the message's MSH-10: delete.
 *   <li><b>AE / AR / CE / CR</b>: a NACK is data. Resend after a delay (NACK_RETRY_DELAY_SECONDS,
 *       doubling) up to MAX_NACK_RETRIES times by making the message visible again later; its
 *       patient's later messages wait behind it (FIFO group), other patients flow. Then it goes to
 *       the DLQ with {@code ackCode}, {@code errCode}, {@code errLocation}, {@code errSeverity}
 *       and is deleted here: a bad message never blocks its patient forever.
 *   <li><b>Timeout, I/O error, broken framing, an unreadable ACK or one whose MSA-2 is not this
 *       message's MSH-10</b>: the connection is closed (a late ACK must never be matched to the next
 *       message), this message and the rest of the batch are made visible again at once (order
 *       holds), and the bridge reconnects with exponential backoff and full jitter. While it
 *       cannot connect it does not poll, so an EHR outage does not use up receive counts.
 *   <li>A message that cannot be sent at all (no MSH / MSH-10, bigger than MAX_FRAME_BYTES): DLQ
 *       with {@code reason}.
 * </ul>
 *
 * <p>Delivery is at least once: an ACK lost after the EHR stored the message means the message
 * is sent again (same MSH-10); the EHR deduplicates on MSH-10, as HL7 interfaces do.
 *
 * <p>Nothing doubled past SQS FIFO's 5-minute deduplication window: after an AA / CA the message's
 * {@code tenant|MSH-10} goes into the {@link SentLedger} (before the delete); a message whose key is
 * there already is not sent but deleted, journaled {@code suppressed-duplicate} and counted
 * ({@code suppressedDuplicates}). A replay (attribute {@code replayOf}) is sent regardless. The
 * ledger fails open: a read or write error sends the message as without it ({@code ledgerErrors}).
 *
 * <p>NACK attempts are counted in this process by SQS message id (a restart starts the count
 * again; the queue's redrive policy stays the backstop). ACKed messages are deleted with one batch
 * call at the end of each batch.
 *
 * <p>Over 400 lines: the loop, the settlement of each outcome and the send itself are one state machine
 * that reads best in one place.
 */
public final class Bridge implements Runnable {

  private static final System.Logger LOG = System.getLogger(Bridge.class.getName());
  /** Don't start a send unless the batch stays ours for the ACK timeout plus this margin. */
  private static final Duration VISIBILITY_MARGIN = Duration.ofSeconds(2);

  /** Health of the EHR link as last seen. */
  public enum ConnectState { NOT_TRIED, CONNECTED, FAILED }

  private final BridgeConfig config;
  private final OutboundQueue queue;
  private final MllpClient link;
  private final AckReader acks;
  private final EmfMetrics metrics;
  private final Backoff reconnectBackoff;
  private final NackCounts nackCounts = new NackCounts(10_000);
  private io.telebridge.mllp.BridgeJournal journal = io.telebridge.mllp.BridgeJournal.NONE;
  private final UnaryOperator<String> redeem;
  private SentLedger ledger = SentLedger.NONE;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile boolean running;
  private volatile boolean lastPollFailed;
  private volatile ConnectState connectState = ConnectState.NOT_TRIED;
  private volatile long heartbeatNanos = System.nanoTime();
  private volatile Thread worker;
  private int failures; // consecutive connect / link failures; reset by any ACK

  public Bridge(BridgeConfig config, OutboundQueue queue, MllpClient link, AckReader acks, EmfMetrics metrics,
      Backoff reconnectBackoff) {
    this(config, queue, link, acks, metrics, reconnectBackoff, Bridge::noClaimChecks);
  }

  /**
   * @param redeem a queue body as the HL7 message it stands for: itself, or a claim check's verified payload
   *     (a {@link ClaimCheckException} when it cannot be redeemed: DLQ, {@code unsendable-claim-check}; a
   *     {@link io.telebridge.core.error.TransientException} when the store is down: the batch goes back)
   */
  public Bridge(BridgeConfig config, OutboundQueue queue, MllpClient link, AckReader acks, EmfMetrics metrics,
      Backoff reconnectBackoff, UnaryOperator<String> redeem) {
    this.redeem = redeem;
    this.config = config;
    this.queue = queue;
    this.link = link;
    this.acks = acks;
    this.metrics = metrics;
    this.reconnectBackoff = reconnectBackoff;
  }

  /** Where each settled message's step is journaled; set before {@link #run()}. */
  public Bridge journal(io.telebridge.mllp.BridgeJournal j) {
    this.journal = j;
    return this;
  }

  /** Where accepted messages are remembered and looked up before a send; set before {@link #run()}. */
  public Bridge ledger(SentLedger l) {
    this.ledger = l;
    return this;
  }

  @Override
  public void run() {
    worker = Thread.currentThread();
    running = true;
    try {
      while (!stopping) {
        heartbeatNanos = System.nanoTime();
        if (!link.isConnected() && !connect()) {
          continue;
        }
        List<QueuedMessage> batch;
        try {
          batch = queue.receive(config.batchSize(), config.pollWait(), config.visibilityTimeout());
          lastPollFailed = false;
        } catch (RuntimeException e) {
          lastPollFailed = true;
          LOG.log(System.Logger.Level.WARNING, "receive from the to-EHR queue failed ({0}); retrying", e.getClass().getSimpleName());
          pause(reconnectBackoff.ceiling(2));
          continue;
        }
        heartbeatNanos = System.nanoTime();
        if (!batch.isEmpty()) {
          process(batch, System.nanoTime());
        }
      }
    } finally {
      link.close();
      running = false;
      finished.countDown();
      LOG.log(System.Logger.Level.INFO, "sender stopped");
    }
  }

  private boolean connect() {
    if (failures > 0) {
      Duration wait = reconnectBackoff.delay(failures);
      LOG.log(System.Logger.Level.INFO, "reconnecting to the EHR in {0} ms (attempt {1})", String.valueOf(wait.toMillis()),
          String.valueOf(failures + 1));
      pause(wait);
      if (stopping) {
        return false;
      }
    }
    try {
      link.connect();
      connectState = ConnectState.CONNECTED;
      LOG.log(System.Logger.Level.INFO, "connected to the EHR at {0}:{1}{2}", config.ehrHost(),
          String.valueOf(config.ehrPort()), config.tls().enabled() ? (config.tls().mutual() ? " (mutual TLS)" : " (TLS)") : "");
      return true;
    } catch (IOException | RuntimeException e) {
      connectState = ConnectState.FAILED;
      failures++;
      LOG.log(System.Logger.Level.WARNING, "connect to the EHR at {0}:{1} failed ({2})", config.ehrHost(),
          String.valueOf(config.ehrPort()), e.getClass().getSimpleName());
      return false;
    }
  }

  /** Settles a batch in order. {@code receivedAt}: System.nanoTime() when the receive returned. */
  void process(List<QueuedMessage> batch, long receivedAt) {
    BatchStats stats = new BatchStats();
    long lastStart = receivedAt + config.visibilityTimeout().toNanos() - config.ackTimeout().toNanos()
        - VISIBILITY_MARGIN.toNanos();
    Map<String, Duration> heldGroups = new HashMap<>();
    List<QueuedMessage> delivered = new ArrayList<>();
    int next = 0;
    try {
      for (; next < batch.size(); next++) {
        QueuedMessage m = batch.get(next);
        if (stopping || System.nanoTime() > lastStart) {
          break; // the rest goes back below
        }
        Duration held = heldGroups.get(m.groupId());
        if (held != null) { // an earlier message of this patient is waiting for a retry: keep order
          queue.retryAfter(m, held);
          continue;
        }
        Outcome outcome = deliver(m, stats);
        switch (outcome.kind) {
          case ACCEPTED -> {
            remember(m, outcome.controlId, stats); // before the delete: a later copy of it is then suppressed
            delivered.add(m);
            journal.sent(m, outcome.controlId, outcome.messageType, outcome.ack.code().name(), null, null,
                nackCounts.increment(m.messageId()), null);
            nackCounts.forget(m.messageId());
          }
          case NACKED -> {
            int attempts = nackCounts.increment(m.messageId());
            if (attempts > config.maxNackRetries()) {
              deadLetter(m, outcome, attempts, stats);
            } else {
              Duration delay = nackDelay(attempts);
              queue.retryAfter(m, delay);
              heldGroups.put(m.groupId(), delay);
              stats.retried++;
              journal.sent(m, outcome.controlId, outcome.messageType, outcome.ack.code().name(), "nack",
                  outcome.ack.errorCode(), attempts, "retry-at:" + java.time.Instant.now().plus(delay));
              LOG.log(System.Logger.Level.INFO, "NACK {0} for controlId={1} messageId={2} group={3}; resend {4} of {5} in {6} s",
                  outcome.ack.code(), outcome.controlId, m.messageId(), m.groupId(), String.valueOf(attempts),
                  String.valueOf(config.maxNackRetries()), String.valueOf(delay.toSeconds()));
            }
          }
          case SUPPRESSED -> {
            delivered.add(m); // deleted with the batch's accepted messages
            stats.suppressedDuplicates++;
            nackCounts.forget(m.messageId());
            journal.suppressed(m, outcome.controlId, outcome.messageType);
            LOG.log(System.Logger.Level.INFO, "suppressed duplicate controlId={0} type={1} messageId={2} group={3}: "
                + "the EHR accepted it before (sent ledger); deleted, not sent", outcome.controlId, outcome.messageType,
                m.messageId(), m.groupId());
          }
          case UNSENDABLE -> deadLetter(m, outcome, 0, stats);
          case LINK_FAILED -> {
            stats.linkFailures++;
            failures++;
            link.close();
            LOG.log(System.Logger.Level.WARNING, "EHR link failed ({0}) on controlId={1} messageId={2} group={3}; "
                + "connection closed, message and rest of batch returned to the queue", outcome.reason, outcome.controlId,
                m.messageId(), m.groupId());
            next++; // this one goes back at once too
            queue.retryAfter(m, Duration.ZERO);
          }
          default -> throw new IllegalStateException();
        }
        if (outcome.kind == Kind.LINK_FAILED) {
          break;
        }
      }
    } catch (RuntimeException e) {
      // a queue call failed: send nothing more from this batch; what is not settled returns after its visibility timeout
      LOG.log(System.Logger.Level.WARNING, "queue call failed mid-batch ({0}); the unsettled messages return after the "
          + "visibility timeout", e.getClass().getSimpleName());
      next = batch.size();
    } finally {
      try {
        queue.delete(delivered);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "delete of {0} delivered message(s) failed ({1}); they will be sent again "
            + "(the EHR deduplicates on MSH-10)", String.valueOf(delivered.size()), e.getClass().getSimpleName());
      }
      for (int i = next; i < batch.size(); i++) {
        QueuedMessage m = batch.get(i);
        try {
          queue.retryAfter(m, heldGroups.getOrDefault(m.groupId(), Duration.ZERO));
        } catch (RuntimeException e) {
          break; // they come back after the visibility timeout
        }
      }
      metrics.publish(stats);
    }
  }

  private void deadLetter(QueuedMessage m, Outcome outcome, int attempts, BatchStats stats) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("controlId", outcome.controlId.isEmpty() ? m.attribute("controlId") : outcome.controlId);
    attributes.put("messageType", m.attribute("messageType").isEmpty() ? outcome.messageType : m.attribute("messageType"));
    attributes.put("eventId", m.attribute("eventId"));
    attributes.put("reason", outcome.reason);
    if (outcome.ack != null) {
      attributes.put("ackCode", outcome.ack.code().name());
      attributes.put("errCode", outcome.ack.errorCode());
      attributes.put("errLocation", outcome.ack.errorLocation());
      attributes.put("errSeverity", outcome.ack.severity());
    }
    if (attempts > 0) {
      attributes.put("attempts", Integer.toString(attempts));
    }
    queue.deadLetter(m, attributes);
    journal.sent(m, attributes.get("controlId"), attributes.get("messageType"),
        outcome.ack == null ? null : outcome.ack.code().name(), outcome.reason, outcome.ack == null ? null
        : outcome.ack.errorCode(), attempts, "dlq:to-ehr");
    nackCounts.forget(m.messageId());
    stats.deadLettered++;
    LOG.log(System.Logger.Level.WARNING, "dead-lettered controlId={0} messageId={1} group={2}: {3} ackCode={4} errCode={5}",
        attributes.get("controlId"), m.messageId(), m.groupId(), outcome.reason,
        outcome.ack == null ? "-" : outcome.ack.code(), outcome.ack == null ? "-" : outcome.ack.errorCode());
  }

  /** The EHR accepted m: into the ledger. Fails open (a write error is logged by class and counted). */
  private void remember(QueuedMessage m, String controlId, BatchStats stats) {
    String tenant = m.attribute("tenant");
    if (tenant.isEmpty()) {
      return; // no tenant, no key (the translator always sets it)
    }
    try {
      ledger.recordAccepted(tenant, controlId);
    } catch (RuntimeException e) {
      stats.ledgerErrors++;
      LOG.log(System.Logger.Level.WARNING, "sent ledger write failed ({0}) for controlId={1} messageId={2}",
          e.getClass().getSimpleName(), controlId, m.messageId());
    }
  }

  /** Whether m was accepted by the EHR before and is no replay. Fails open: an error reads as "not sent". */
  private boolean sentBefore(QueuedMessage m, String controlId, BatchStats stats) {
    String tenant = m.attribute("tenant");
    if (tenant.isEmpty() || !m.attribute("replayOf").isEmpty()) {
      return false; // no key without a tenant; a replay is a deliberate re-send
    }
    try {
      return ledger.accepted(tenant, controlId);
    } catch (RuntimeException e) {
      stats.ledgerErrors++;
      LOG.log(System.Logger.Level.WARNING, "sent ledger read failed ({0}) for controlId={1} messageId={2}; sending",
          e.getClass().getSimpleName(), controlId, m.messageId());
      return false;
    }
  }

  Duration nackDelay(int attempt) {
    long seconds = config.nackRetryDelay().toSeconds() << Math.min(20, Math.max(0, attempt - 1));
    return Duration.ofSeconds(Math.min(BridgeConfig.MAX_NACK_RETRY_DELAY.toSeconds(), seconds));
  }

  /** Without a claim-check bucket: a claim check cannot be redeemed; any other body is the message. */
  public static String noClaimChecks(String body) {
    if (io.telebridge.core.claimcheck.ClaimChecks.isClaimCheck(body)) {
      throw new ClaimCheckException("a claim check arrived but the bridge has no PAYLOAD_BUCKET");
    }
    return body;
  }

  private Outcome deliver(QueuedMessage m, BatchStats stats) {
    String body;
    try { // a long note's MDM arrives as a claim check: fetched and verified here, sent as any other message
      body = redeem.apply(m.body() == null ? "" : m.body());
    } catch (ClaimCheckException e) {
      return Outcome.unsendable(m.attribute("controlId"), m.attribute("messageType"),
          "unsendable-claim-check: " + e.getMessage());
    }
    if (!RawHl7.looksLikeHl7(body)) {
      return Outcome.unsendable("", "", "unsendable-no-msh");
    }
    String text = body.replace("\r\n", "\r").replace('\n', '\r'); // segments end with CR on the wire
    RawHl7 raw = RawHl7.of(text);
    String controlId = raw.controlId().trim();
    String type = raw.messageType();
    if (controlId.isEmpty()) {
      return Outcome.unsendable("", type, "unsendable-no-control-id");
    }
    if (!m.attribute("controlId").isEmpty() && !m.attribute("controlId").equals(controlId)) {
      LOG.log(System.Logger.Level.WARNING, "messageId={0}: attribute controlId differs from MSH-10 {1}; MSH-10 is used",
          m.messageId(), controlId);
    }
    if (sentBefore(m, controlId, stats)) {
      return new Outcome(Kind.SUPPRESSED, controlId, type, null, "suppressed-duplicate");
    }
    Charset charset;
    byte[] payload;
    try { // the charset MSH-18 names (else the EHR profile's), strictly: never a '?' in place of a letter
      charset = Hl7Charsets.forMsh18(raw.msh(18)).orElse(config.defaultCharset());
      payload = Hl7Text.encode(text, charset);
    } catch (IllegalArgumentException e) {
      return Outcome.unsendable(controlId, type, "unsendable-charset");
    }
    if (payload.length > config.maxFrameBytes()) {
      return Outcome.unsendable(controlId, type, "unsendable-frame-too-large");
    }
    if (!link.stillOpen()) {
      LOG.log(System.Logger.Level.INFO, "idle EHR connection was closed by the peer; reconnecting before controlId={0}", controlId);
      try {
        link.connect();
        connectState = ConnectState.CONNECTED;
      } catch (IOException | RuntimeException e) {
        connectState = ConnectState.FAILED;
        return Outcome.linkFailed(controlId, type, "reconnect failed (" + e.getClass().getSimpleName() + ")");
      }
    }
    long start = System.nanoTime();
    byte[] answer;
    try {
      stats.sent++;
      answer = link.exchange(payload, config.ackTimeout());
    } catch (SocketTimeoutException e) {
      return Outcome.linkFailed(controlId, type, "no ACK within " + config.ackTimeout().toMillis() + " ms");
    } catch (EOFException e) {
      return Outcome.linkFailed(controlId, type, "connection closed by the EHR without an ACK");
    } catch (MllpFramingException e) {
      return Outcome.linkFailed(controlId, type, "MLLP framing error: " + e.getMessage());
    } catch (javax.net.ssl.SSLException e) {
      // TLS 1.3: a refused client certificate shows only at the first read after the handshake
      connectState = ConnectState.FAILED;
      return Outcome.linkFailed(controlId, type, "TLS failure (" + e.getClass().getSimpleName() + ")");
    } catch (IOException e) {
      return Outcome.linkFailed(controlId, type, "I/O error (" + e.getClass().getSimpleName() + ")");
    }
    long latencyMs = (System.nanoTime() - start) / 1_000_000L;
    Ack ack;
    try {
      ack = acks.read(Hl7Text.decode(answer, charset));
    } catch (AckFormatException e) {
      return Outcome.linkFailed(controlId, type, "unreadable ACK: " + e.getMessage());
    } catch (UnreadableMessageException e) {
      return Outcome.linkFailed(controlId, type, "unreadable ACK: " + e.reason());
    }
    if (!controlId.equals(ack.controlId().trim())) {
      return Outcome.linkFailed(controlId, type, "ACK MSA-2 does not match MSH-10 (protocol error)");
    }
    failures = 0;
    stats.ackLatencyMs.add(latencyMs);
    if (ack.accepted()) {
      stats.acked++;
      LOG.log(System.Logger.Level.INFO, "delivered controlId={0} type={1} messageId={2} group={3} ack={4} in {5} ms",
          controlId, type, m.messageId(), m.groupId(), ack.code(), String.valueOf(latencyMs));
      return new Outcome(Kind.ACCEPTED, controlId, type, ack, "accepted");
    }
    stats.nacked++;
    return new Outcome(Kind.NACKED, controlId, type, ack, "nack-retries-exhausted");
  }

  private void pause(Duration d) {
    try {
      stopRequested.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }

  /** Stop polling; the message in flight is finished, the rest of its batch returned to the queue. */
  public void requestStop() {
    stopping = true;
    stopRequested.countDown();
  }

  /** Waits for the loop to end. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Last resort after the drain timeout: interrupt the loop and drop the connection. */
  public void abort() {
    Thread w = worker;
    link.close();
    if (w != null) {
      w.interrupt();
    }
  }

  /** 200 on /health: polling, and the last connect succeeded or none was tried yet. */
  public boolean healthy() {
    return running && !stopping && !lastPollFailed && connectState != ConnectState.FAILED;
  }

  /** The loop is alive: it passed its top within the longest a poll plus a full batch can take. */
  public boolean alive() {
    long budget = config.pollWait().plus(config.visibilityTimeout()).plus(config.reconnectMax()).plusSeconds(30).toNanos();
    return running && System.nanoTime() - heartbeatNanos < budget;
  }

  public boolean polling() {
    return running && !stopping && !lastPollFailed;
  }

  public ConnectState connectState() {
    return connectState;
  }

  /** Connected to the EHR now (the last connect succeeded and the connection is open): the EhrConnected metric. */
  public boolean ehrConnected() {
    return running && connectState == ConnectState.CONNECTED && link.isConnected();
  }

  private enum Kind { ACCEPTED, NACKED, SUPPRESSED, UNSENDABLE, LINK_FAILED }

  private record Outcome(Kind kind, String controlId, String messageType, Ack ack, String reason) {
    static Outcome unsendable(String controlId, String type, String reason) {
      return new Outcome(Kind.UNSENDABLE, controlId, type, null, reason);
    }

    static Outcome linkFailed(String controlId, String type, String reason) {
      return new Outcome(Kind.LINK_FAILED, controlId, type, null, reason);
    }
  }

  /** NACK attempts per SQS message id, bounded (oldest forgotten first). */
  static final class NackCounts {
    private final LinkedHashMap<String, Integer> counts;

    NackCounts(int capacity) {
      this.counts = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > capacity;
        }
      };
    }

    int increment(String id) {
      return counts.merge(id, 1, Integer::sum);
    }

    void forget(String id) {
      counts.remove(id);
    }
  }
}
