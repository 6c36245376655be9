package io.telebridge.mllp.sim;

import io.telebridge.mllp.tls.TlsContexts;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpReader;
import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.hl7v2.UnreadableMessageException;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.hl7.RawAckBuilder;
import io.telebridge.mllp.hl7.RawHl7;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
  private final Path recordDir;
  private final PrintStream console;
  private final Clock clock;

  private final List<ReceivedMessage> received = new ArrayList<>();
  private final List<ActiveRule> rules = new ArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong ackIds = new AtomicLong();
  private volatile ServerSocket server;
  private volatile int port;
  private volatile boolean closed;
  private SimulatorControl control;

  private EhrSimulator(Builder b) {
    this.host = b.host;
    this.tls = b.tls;
    this.needClientAuth = b.needClientAuth;
    this.maxFrameBytes = b.maxFrameBytes;
    this.recordDir = b.recordDir;
    this.console = b.console;
    this.clock = b.clock;
    this.port = b.port;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening; with a control port, the HTTP control endpoint too. */
  private EhrSimulator startUp(int controlPort) throws IOException {
    if (recordDir != null) {
      Files.createDirectories(recordDir);
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
        if (!answer(frame, connection, socket, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the peer went away, or framing broke: the connection ends
    } finally {
      open.remove(socket);
    }
  }

  /** Records and answers one frame; false: the connection is to be closed. */
  private boolean answer(byte[] frame, int connection, Socket socket, OutputStream out) throws IOException {
    Charset charset;
    String text;
    boolean undecodable = false;
    try { // the project's one HL7 text layer: MSH-18's charset (else UTF-8), strictly
      charset = Hl7Text.charsetOf(frame, StandardCharsets.UTF_8);
      text = Hl7Text.decode(frame, StandardCharsets.UTF_8);
    } catch (UnreadableMessageException e) { // recorded byte for byte (as Latin-1 text) and answered AR
      charset = StandardCharsets.US_ASCII;
      text = Hl7Text.crSegmentEnds(new String(frame, StandardCharsets.ISO_8859_1));
      undecodable = true;
    }
    RawHl7 raw = RawHl7.looksLikeHl7(text) ? RawHl7.of(text) : null;
    String controlId = raw == null ? "" : raw.controlId();
    String type = raw == null ? "?" : raw.messageType();
    List<String> patients = raw == null ? List.of() : raw.patientIds();
    SimRule rule = pickRule(controlId, patients);
    Answer answer = raw == null || undecodable ? Answer.AR : rule == null ? Answer.AA : rule.answer();
    record(new ReceivedMessage(sequence.incrementAndGet(), connection, controlId, type, patients, clock.instant(),
        text, answer));
    if (rule != null && !rule.delay().isZero()) {
      try {
        Thread.sleep(rule.delay());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    switch (answer) {
      case DROP -> {
        return false;
      }
      case SILENT -> {
        return true;
      }
      default -> {
        if (raw == null) {
          return false; // nothing to answer to
        }
        AckCode code = answer == Answer.WRONG_CONTROL_ID ? AckCode.AA : AckCode.valueOf(answer.name());
        String msa2 = answer == Answer.WRONG_CONTROL_ID ? "NOT-" + controlId : controlId;
        String ack = RawAckBuilder.build(text, code, msa2, error(rule), "SIMACK" + ackIds.incrementAndGet(),
            ZonedDateTime.now(clock));
        out.write(MllpFrames.frame(ack.getBytes(charset)));
        out.flush();
        return true;
      }
    }
  }

  /**
   * The ERR of an error answer: the rule's code and location, and as its free text a recognisable
   * marker (an EHR may fill that text with data from the message): the bridge must never copy it
   * anywhere, and tests check that.
   */
  private static RawAckBuilder.Error error(SimRule rule) {
    if (rule == null || !rule.answer().isError()) {
      return null;
    }
    return RawAckBuilder.Error.atLocation(rule.errorCode(), rule.errorLocation(),
        "SIMULATED USER MESSAGE - NOT FOR LOGS");
  }

  private SimRule pickRule(String controlId, List<String> patients) {
    synchronized (rules) {
      for (ActiveRule r : rules) {
        if (r.rule.matches(controlId, patients) && r.use()) {
          return r.rule;
        }
      }
      return null;
    }
  }

  /** File and console first, then memory: whoever awaits a message finds it everywhere. */
  private void record(ReceivedMessage m) {
    if (recordDir != null) {
      writeRecord(m);
    }
    if (console != null) {
      console.println("EHR simulator <- " + m.summary() + "  -> " + m.answer());
    }
    synchronized (received) {
      received.add(m);
      received.notifyAll();
    }
  }

  private synchronized void writeRecord(ReceivedMessage m) {
    try (Writer hl7 = Files.newBufferedWriter(recordDir.resolve("messages.hl7"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Writer log = Files.newBufferedWriter(recordDir.resolve("received.log"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      hl7.write(m.text().replace('\r', '\n'));
      hl7.write(m.text().endsWith("\r") ? "\n" : "\n\n");
      log.write(m.receivedAt() + " " + m.controlId() + " " + m.messageType() + " -> " + m.answer() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + recordDir, e);
    }
  }

  // ------------------------------------------------------------------ what was received

  /** Everything received so far, in order of arrival. */
  public List<ReceivedMessage> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** MSH-10 of everything received, in order of arrival (repeats included). */
  public List<String> controlIds() {
    return received().stream().map(ReceivedMessage::controlId).toList();
  }

  /** Waits until at least {@code count} messages arrived; false on timeout. */
  public boolean awaitCount(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (received.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        received.wait(Math.max(1, left / 1_000_000L));
      }
      return true;
    }
  }

  public void clearReceived() {
    synchronized (received) {
      received.clear();
    }
  }

  /** Connections accepted since start. */
  public int connectionCount() {
    return connections.get();
  }

  // ------------------------------------------------------------------ rules

  public void addRule(SimRule rule) {
    synchronized (rules) {
      rules.add(new ActiveRule(rule));
    }
  }

  public void clearRules() {
    synchronized (rules) {
      rules.clear();
    }
  }

  /** Rules with uses left, described. */
  public List<String> describeRules() {
    synchronized (rules) {
      rules.removeIf(r -> r.remaining.get() == 0);
      return rules.stream().map(r -> r.rule.times(r.remaining.get()).describe()).toList();
    }
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
    return recordDir;
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

  private static final class ActiveRule {
    final SimRule rule;
    final AtomicInteger remaining;

    ActiveRule(SimRule rule) {
      this.rule = rule;
      this.remaining = new AtomicInteger(rule.times());
    }

    boolean use() {
      while (true) {
        int left = remaining.get();
        if (left < 0) {
          return true; // unlimited
        }
        if (left == 0) {
          return false;
        }
        if (remaining.compareAndSet(left, left - 1)) {
          return true;
        }
      }
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
