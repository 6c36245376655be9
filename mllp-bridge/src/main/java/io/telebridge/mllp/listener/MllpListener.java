package io.telebridge.mllp.listener;

import io.telebridge.mllp.tls.TlsContexts;
import io.telebridge.mllp.frame.DeadlineInputStream;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpFramingException;
import io.telebridge.mllp.frame.MllpReader;
import io.telebridge.mllp.frame.OversizeFrameException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The MLLP listener: accepts the EHR's connections (plain, TLS or mutual TLS), refuses clients not on
 * the allow-list and connections beyond the limit, and serves each connection on its own virtual
 * thread: read a frame (at most the size limit), hand it to {@link AcceptInboundFrame}, write the
 * ACK it returns — or close without one when the message could not be made durable. An oversize
 * frame is answered AR and the connection kept when the reader found the frame's end (else it is
 * closed); a framing error or an idle connection (no byte within the idle timeout) is closed. Many
 * connections at once; frames on one connection are handled in order, one at a time, so a
 * connection's ACKs go back in the order its messages came. The store may group the writes of
 * frames that arrive on several connections at once ({@link SqsInboundStore}: one SendMessageBatch);
 * the listener tells it when a frame starts arriving and when it is handled, so a batch waits only for
 * frames actually on their way and a lone message is written at once.
 *
 * <p>Slow or hostile peers: the TLS handshake and every frame must complete within the frame timeout
 * from their first byte (a frame that trickles in is dropped, unanswered, and the connection closed —
 * slowloris); at most {@code maxSkippedBytes} may precede a start block; a {@link Error} while
 * handling a frame (a parser's StackOverflowError) is answered AR and quarantined like any refused
 * frame, never left unanswered (the EHR would resend it forever).
 *
 * <p>Shutdown ({@link #close(Duration)}): stop accepting, close connections waiting for a frame at once
 * (nothing is lost: an unanswered frame is resent), let connections in the middle of a message
 * finish it (persist, ACK) within the timeout, then close them.
 */
public final class MllpListener implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(MllpListener.class.getName());

  private final ListenerConfig config;
  private final AcceptInboundFrame accept;
  private final SSLContext tls;
  private final Map<Socket, Connection> open = new ConcurrentHashMap<>();
  private final AtomicInteger connectionIds = new AtomicInteger();
  private final Counters counters = new Counters();
  private volatile ServerSocket server;
  private volatile boolean stopping;
  /** Closes a connection whose TLS handshake is not over by the frame timeout (a byte-by-byte trickle beats a read timeout). */
  private final java.util.concurrent.ScheduledExecutorService handshakeGuard =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("mllp-listener-handshake-guard").daemon(true).factory());

  /** Running totals since start (for health, logs and the benchmark). */
  public static final class Counters {
    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong notAcknowledged = new AtomicLong();
    public final AtomicLong refusedConnections = new AtomicLong();
    public final AtomicLong connections = new AtomicLong();
    /** Frames not complete within MLLP_FRAME_TIMEOUT_SECONDS (dropped, connection closed). */
    public final AtomicLong slowFrames = new AtomicLong();
    /** Connections closed for garbage: too many bytes before a start block, or broken framing. */
    public final AtomicLong framingErrors = new AtomicLong();
  }

  private static final class Connection {
    final Socket socket;
    volatile boolean busy;

    Connection(Socket socket) {
      this.socket = socket;
    }
  }

  /** Told of every ACK written (the journal's listener step), after the write. */
  private volatile java.util.function.Consumer<AcceptInboundFrame.Reply> replied = r -> { };

  /** Sets who is told of every ACK written (the bridge's journal); call before {@link #start()}. */
  public MllpListener onReply(java.util.function.Consumer<AcceptInboundFrame.Reply> listener) {
    this.replied = listener;
    return this;
  }

  public MllpListener(ListenerConfig config, AcceptInboundFrame accept) {
    this.config = config;
    this.accept = accept;
    this.tls = config.tls().enabled()
        ? TlsContexts.create(config.tls().keystore(), config.tls().keystorePassword(), config.tls().truststore(),
            config.tls().truststorePassword())
        : null;
  }

  /** Binds and starts accepting. */
  public synchronized MllpListener start() throws IOException {
    ServerSocket s;
    if (tls != null) {
      SSLServerSocket ssl = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
      ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      ssl.setNeedClientAuth(config.tls().truststore() != null);
      s = ssl;
    } else {
      s = new ServerSocket();
    }
    s.setReuseAddress(true);
    try {
      s.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 128);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    server = s;
    Thread.ofPlatform().name("mllp-listener-accept").daemon(true).start(() -> acceptLoop(s));
    LOG.log(System.Logger.Level.INFO, "MLLP listener on {0}:{1} ({2}; clients: {3}; max frame {4} bytes; idle timeout {5} s)",
        config.host(), String.valueOf(s.getLocalPort()),
        tls == null ? "plain TCP" : config.tls().truststore() != null ? "mutual TLS" : "TLS",
        config.allowedClients().toString(), String.valueOf(config.maxFrameBytes()),
        String.valueOf(config.idleTimeout().toSeconds()));
    return this;
  }

  /** The bound port (the chosen one when configured with 0), or -1 when not bound. */
  public int port() {
    ServerSocket s = server;
    return s == null ? -1 : s.getLocalPort();
  }

  /** Bound and accepting: what /health/ready reports. */
  public boolean ready() {
    ServerSocket s = server;
    return s != null && s.isBound() && !s.isClosed() && !stopping;
  }

  public Counters counters() {
    return counters;
  }

  public int openConnections() {
    return open.size();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      Socket socket;
      try {
        socket = s.accept();
      } catch (IOException e) {
        if (!s.isClosed()) {
          LOG.log(System.Logger.Level.WARNING, "accept failed ({0})", e.getClass().getSimpleName());
        }
        continue;
      }
      InetAddress client = socket.getInetAddress();
      if (!config.allowedClients().allows(client)) {
        counters.refusedConnections.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "refused a connection from {0}: not on MLLP_ALLOWED_CLIENTS", client.getHostAddress());
        abort(socket);
        continue;
      }
      if (stopping || open.size() >= config.maxConnections()) {
        counters.refusedConnections.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "refused a connection from {0}: {1}", client.getHostAddress(),
            stopping ? "shutting down" : "at the limit of " + config.maxConnections() + " connections");
        abort(socket);
        continue;
      }
      int id = connectionIds.incrementAndGet();
      Connection c = new Connection(socket);
      open.put(socket, c);
      counters.connections.incrementAndGet();
      Thread.ofVirtual().name("mllp-listener-conn-" + id).start(() -> serve(c, id));
    }
  }

  private void serve(Connection c, int id) {
    Socket socket = c.socket;
    String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    String closedBecause = "closed by the peer";
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      Duration frameTimeout = config.frameTimeout();
      Duration idle = config.idleTimeout();
      if (socket instanceof SSLSocket ssl) { // the handshake is held to the frame deadline too
        Duration handshake = frameTimeout.isZero() ? idle
            : idle.isZero() ? frameTimeout : (frameTimeout.compareTo(idle) < 0 ? frameTimeout : idle);
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, handshake.toMillis()));
        var guard = frameTimeout.isZero() ? null
            : handshakeGuard.schedule(() -> closeQuietly(socket), frameTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
          ssl.startHandshake();
        } catch (IOException e) {
          if (guard != null && guard.isDone()) {
            throw new DeadlineInputStream.DeadlineExceededException();
          }
          throw e;
        } finally {
          if (guard != null) {
            guard.cancel(false);
          }
        }
      }
      LOG.log(System.Logger.Level.INFO, "connection {0} from {1} opened", String.valueOf(id), peer);
      DeadlineInputStream in = new DeadlineInputStream(socket, idle);
      MllpReader.FrameClock clock = new MllpReader.FrameClock() {
        @Override
        public void started() {
          accept.frameStarted(); // a batch opened on another connection now may wait for this frame
          if (!frameTimeout.isZero()) {
            in.deadline(System.nanoTime() + frameTimeout.toNanos());
          }
        }

        @Override
        public void ended() {
          if (!frameTimeout.isZero()) {
            in.clearDeadline();
          }
        }
      };
      MllpReader reader = new MllpReader(in, config.maxFrameBytes(), true, config.maxSkippedBytes(), clock);
      OutputStream out = socket.getOutputStream();
      while (!stopping) {
        AcceptInboundFrame.Outcome outcome;
        try {
          byte[] frame = reader.readFrame();
          if (frame == null) {
            break;
          }
          c.busy = true;
          outcome = accept(frame);
        } catch (OversizeFrameException e) {
          c.busy = true;
          outcome = accept.oversize(e.head(), e.frameBytes(), config.maxFrameBytes());
          if (!e.resynced()) {
            settle(outcome, out, id);
            closedBecause = "oversize frame without an end block (out of step)";
            break;
          }
        }
        if (!settle(outcome, out, id)) {
          closedBecause = "no ACK: " + ((AcceptInboundFrame.Close) outcome).reason();
          break;
        }
        c.busy = false;
      }
      if (stopping) {
        closedBecause = "listener shutting down";
      }
    } catch (DeadlineInputStream.DeadlineExceededException e) {
      counters.slowFrames.incrementAndGet();
      closedBecause = "frame (or TLS handshake) not complete within " + config.frameTimeout().toSeconds()
          + " s of its first byte (slow sender); dropped unanswered";
    } catch (SocketTimeoutException e) {
      closedBecause = "idle for " + config.idleTimeout().toSeconds() + " s";
    } catch (MllpFramingException e) {
      counters.framingErrors.incrementAndGet();
      closedBecause = "MLLP framing error: " + e.getMessage();
    } catch (SSLException e) {
      closedBecause = "TLS failure (" + e.getClass().getSimpleName() + ")";
    } catch (IOException e) {
      closedBecause = stopping ? "listener shutting down" : "I/O error (" + e.getClass().getSimpleName() + ")";
    } finally {
      accept.connectionClosed(); // a frame cut short (closed, timed out) is not waited for, nor a next one
      open.remove(socket);
      c.busy = false;
    }
    LOG.log(System.Logger.Level.INFO, "connection {0} from {1} closed: {2}", String.valueOf(id), peer, closedBecause);
  }

  /**
   * One frame through {@link AcceptInboundFrame}. An {@link Error} there (a StackOverflowError from
   * a parser, say) would fail the same way on every resend: the frame is refused (AR, quarantined),
   * not left unanswered.
   */
  private AcceptInboundFrame.Outcome accept(byte[] frame) {
    try {
      return accept.accept(frame);
    } catch (Error e) {
      LOG.log(System.Logger.Level.ERROR, "{0} while handling a frame of {1} bytes; refusing it (AR, quarantined)",
          e.getClass().getSimpleName(), String.valueOf(frame.length));
      return accept.failed(frame, e);
    } finally {
      accept.frameEnded(); // refused, or failed before the store: no batch waits for it any more
    }
  }

  /** Writes the ACK, or (Close) nothing; returns whether the connection stays open. */
  private boolean settle(AcceptInboundFrame.Outcome outcome, OutputStream out, int connection) throws IOException {
    switch (outcome) {
      case AcceptInboundFrame.Reply r -> {
        MllpFrames.write(out, r.ack());
        replied.accept(r);
        if (r.code().accepted()) {
          counters.accepted.incrementAndGet();
          LOG.log(System.Logger.Level.INFO, "received controlId={0} type={1} on connection {2} -> {3}", r.controlId(),
              r.messageType(), String.valueOf(connection), r.code());
        } else {
          counters.rejected.incrementAndGet();
          LOG.log(System.Logger.Level.WARNING, "refused controlId={0} type={1} on connection {2} -> {3} ({4}); quarantined",
              r.controlId().isEmpty() ? "-" : r.controlId(), r.messageType().isEmpty() ? "-" : r.messageType(),
              String.valueOf(connection), r.code(), r.reason());
        }
        return true;
      }
      case AcceptInboundFrame.Close c -> {
        counters.notAcknowledged.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "controlId={0} on connection {1}: {2}; no ACK, closing the connection "
            + "(the EHR resends)", c.controlId().isEmpty() ? "-" : c.controlId(), String.valueOf(connection), c.reason());
        return false;
      }
    }
  }

  private static void abort(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // RST: the client sees the refusal at once
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /**
   * Stops accepting, closes idle connections, lets the ones handling a message finish within
   * {@code timeout}, then closes the rest. Returns whether every connection ended in time.
   */
  public boolean close(Duration timeout) {
    stopping = true;
    handshakeGuard.shutdownNow();
    ServerSocket s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Connection c : open.values()) {
        if (!c.busy) {
          closeQuietly(c.socket);
        }
      }
      if (open.isEmpty()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        open.values().forEach(c -> closeQuietly(c.socket));
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        open.values().forEach(c -> closeQuietly(c.socket));
        return false;
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
