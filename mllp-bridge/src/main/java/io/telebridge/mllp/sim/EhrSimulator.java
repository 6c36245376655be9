package io.telebridge.mllp.sim;

import io.telebridge.mllp.tls.TlsContexts;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A stand-in for an EHR's MLLP listener: accepts connections on loopback (port 0 picks one), one
 * virtual thread per connection, records every message it receives (in memory; and, when given a
 * directory, to {@code messages.hl7} + {@code received.log}; a one-line summary on the console),
 * and answers AA unless a {@link SimRule} says otherwise (AE/AR/CE/CR with an ERR segment, a delay,
 * a dropped connection, silence, a wrong MSA-2). Rules are set in code or through the HTTP control
 * endpoint ({@link SimulatorControl}). Optional TLS, with or without client certificates.
 *
 * <pre>{@code
 * try (EhrSimulator ehr = EhrSimulator.builder().start()) {
 *   ehr.addRule(SimRule.answer(Answer.AE).times(1));
 *   ... point the bridge at ehr.port() ...
 *   ehr.awaitCount(3, Duration.ofSeconds(10));
 *   ehr.controlIds();
 * }
 * }</pre>
 */
public final class EhrSimulator implements AutoCloseable {

  private final String host;
  private final SSLContext tls;
  private final boolean needClientAuth;
  private final int maxFrameBytes;
  private final Clock clock;
  private final SimRules rules = new SimRules();
  private final SimRecorder recorder;
  private final SimAnswers answers;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile ServerSocket server;
  private volatile int port;
  private volatile boolean closed;
  private SimulatorControl control;

  private EhrSimulator(Builder b) {
    this.host = b.host;
    this.tls = b.tls;
    this.needClientAuth = b.needClientAuth;
    this.maxFrameBytes = b.maxFrameBytes;
    this.clock = b.clock;
    this.recorder = new SimRecorder(b.recordDir, b.console);
    this.answers = new SimAnswers(rules, recorder, clock);
    this.port = b.port;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening; with a control port, the HTTP control endpoint too. */
  private EhrSimulator startUp(int controlPort) throws IOException {
    if (recorder.recordDir() != null) {
      Files.createDirectories(recorder.recordDir());
    }
    startListening();
    if (controlPort >= 0) {
      try {
        control = SimulatorControl.start(this, host, controlPort);
      } catch (IOException e) {
        close();
        throw e;
      }
    }
    return this;
  }

  // ------------------------------------------------------------------ listening (EHR up / down)

  /** (Re)opens the listener on the same port (after {@link #stopListening()}: the EHR is back). */
  public synchronized void startListening() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket s;
    if (tls != null) {
      SSLServerSocket ssl = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
      ssl.setNeedClientAuth(needClientAuth);
      ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      s = ssl;
    } else {
      s = new ServerSocket();
    }
    s.setReuseAddress(true);
    bind(s, new InetSocketAddress(InetAddress.getByName(host), port));
    port = s.getLocalPort();
    server = s;
    ServerSocket listening = s;
    Thread.ofVirtual().name("ehr-sim-accept-" + port).start(() -> acceptLoop(listening));
  }

  /**
   * Binds, retrying for a moment: a listener closed while a (virtual) thread was blocked in accept
   * releases its port only once that thread has woken up.
   */
  private static void bind(ServerSocket s, InetSocketAddress address) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        s.bind(address, 50);
        return;
      } catch (java.net.BindException e) {
        if (address.getPort() == 0 || System.nanoTime() > deadline) {
          s.close();
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          s.close();
          throw e;
        }
      }
    }
  }

  /**
   * The EHR goes down: the listener closes (connects are refused) and every open connection is
   * closed without answering.
   */
  public synchronized void stopListening() {
    ServerSocket s = server;
    server = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  public boolean isListening() {
    return server != null;
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      Socket socket;
      try {
        socket = s.accept();
      } catch (IOException e) {
        return; // closed
      }
      int id = connections.incrementAndGet();
      open.add(socket);
      Thread.ofVirtual().name("ehr-sim-conn-" + id).start(() -> serve(socket, id));
    }
  }

  private void serve(Socket socket, int connection) {
    try (socket) {
      socket.setTcpNoDelay(true);
      MllpReader reader = new MllpReader(socket.getInputStream(), maxFrameBytes);
      OutputStream out = socket.getOutputStream();
      byte[] frame;
      while ((frame = reader.readFrame()) != null) {
        if (!answers.answer(frame, connection, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the peer went away, or framing broke: the connection ends
    } finally {
      open.remove(socket);
    }
  }

  // ------------------------------------------------------------------ what was received

  /** Everything received so far, in order of arrival. */
  public List<ReceivedMessage> received() {
    return recorder.received();
  }

  /** MSH-10 of everything received, in order of arrival (repeats included). */
  public List<String> controlIds() {
    return received().stream().map(ReceivedMessage::controlId).toList();
  }

  /** Waits until at least {@code count} messages arrived; false on timeout. */
  public boolean awaitCount(int count, Duration timeout) throws InterruptedException {
    return recorder.awaitCount(count, timeout);
  }

  public void clearReceived() {
    recorder.clear();
  }

  /** Connections accepted since start. */
  public int connectionCount() {
    return connections.get();
  }

  // ------------------------------------------------------------------ rules

  public void addRule(SimRule rule) {
    rules.add(rule);
  }

  public void clearRules() {
    rules.clear();
  }

  /** Rules with uses left, described. */
  public List<String> describeRules() {
    return rules.describe();
  }

  /** Back to answering AA to everything, nothing received. */
  public void reset() {
    clearRules();
    clearReceived();
  }

  // ------------------------------------------------------------------ where

  public int port() {
    return port;
  }

  public String host() {
    return host;
  }

  /** The control endpoint, or null when none was asked for. */
  public URI controlUrl() {
    return control == null ? null : URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + control.port());
  }

  public Path recordDir() {
    return recorder.recordDir();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopListening();
    if (control != null) {
      control.close();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** How to start a simulator. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private int controlPort = -1;
    private SSLContext tls;
    private boolean needClientAuth;
    private int maxFrameBytes = MllpFrames.DEFAULT_MAX_FRAME_BYTES;
    private Path recordDir;
    private PrintStream console;
    private Clock clock = Clock.systemDefaultZone();

    public Builder host(String value) {
      host = value;
      return this;
    }

    /** 0 (the default) picks a free port. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** Also serve the HTTP control endpoint on this port (0: a free one). Default: none. */
    public Builder controlPort(int value) {
      controlPort = value;
      return this;
    }

    /** TLS with this server context; {@code needClientAuth}: require a client certificate (mutual TLS). */
    public Builder tls(SSLContext context, boolean requireClientCertificate) {
      tls = context;
      needClientAuth = requireClientCertificate;
      return this;
    }

    /** TLS from PKCS12 files (trust store: the clients' CA, for mutual TLS). */
    public Builder tls(Path keystore, char[] password, Path truststore, char[] truststorePassword,
        boolean requireClientCertificate) {
      return tls(TlsContexts.create(keystore, password, truststore, truststorePassword), requireClientCertificate);
    }

    public Builder maxFrameBytes(int value) {
      maxFrameBytes = value;
      return this;
    }

    /** Append every message to {@code dir/messages.hl7} and a summary line to {@code dir/received.log}. */
    public Builder recordDir(Path dir) {
      recordDir = dir;
      return this;
    }

    /** Print {@code MSH-10 type -> answer} for each message here. */
    public Builder console(PrintStream out) {
      console = out;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public EhrSimulator start() throws IOException {
      return new EhrSimulator(this).startUp(controlPort);
    }
  }

  /** Runs a simulator until Ctrl-C. {@code --help} for the options. */
  public static void main(String[] args) throws Exception {
    EhrSimulatorMain.main(args);
  }

  /** For {@link SimulatorControl}: the timestamp used in listings. */
  Instant now() {
    return clock.instant();
  }
}
