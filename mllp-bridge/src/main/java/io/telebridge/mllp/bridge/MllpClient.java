package io.telebridge.mllp.bridge;

import io.telebridge.mllp.tls.TlsContexts;
import io.telebridge.mllp.frame.DeadlineInputStream;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One persistent MLLP connection to the EHR, optionally over TLS / mutual TLS. A request-response
 * exchange writes one frame and reads one frame within a deadline. On any failure the caller must
 * {@link #close()} it: after a timeout a late ACK could otherwise be read as the answer to the next
 * message. Not thread-safe: one sender thread owns it.
 */
public final class MllpClient implements Closeable {

  private final String host;
  private final int port;
  private final Duration connectTimeout;
  private final int maxFrameBytes;
  private final SSLContext tls;
  private final boolean verifyHostname;
  private final Duration idleProbeAfter;

  private Socket socket;
  private DeadlineInputStream input;
  private MllpReader reader;
  private OutputStream output;
  private long lastUsedNanos;

  public MllpClient(String host, int port, Duration connectTimeout, int maxFrameBytes, SSLContext tls,
      boolean verifyHostname, Duration idleProbeAfter) {
    this.host = host;
    this.port = port;
    this.connectTimeout = connectTimeout;
    this.maxFrameBytes = maxFrameBytes;
    this.tls = tls;
    this.verifyHostname = verifyHostname;
    this.idleProbeAfter = idleProbeAfter;
  }

  public static MllpClient of(BridgeConfig config) {
    SSLContext context = config.tls().enabled() ? TlsContexts.forClient(config.tls()) : null;
    return new MllpClient(config.ehrHost(), config.ehrPort(), config.connectTimeout(), config.maxFrameBytes(),
        context, config.tls().verifyHostname(), config.idleProbeAfter());
  }

  /** Opens a new connection (closing any previous one); TCP connect and TLS handshake within the connect timeout. */
  public void connect() throws IOException {
    close();
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      if (tls != null) {
        SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true);
        SSLParameters p = t.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (verifyHostname) {
          p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        t.setSSLParameters(p);
        t.setSoTimeout((int) connectTimeout.toMillis());
        t.startHandshake();
        s = t;
      }
    } catch (IOException | RuntimeException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw e;
    }
    socket = s;
    input = new DeadlineInputStream(s, Duration.ZERO);
    reader = new MllpReader(input, maxFrameBytes);
    output = s.getOutputStream();
    lastUsedNanos = System.nanoTime();
  }

  public boolean isConnected() {
    return socket != null && !socket.isClosed();
  }

  /**
   * Whether a connection that has been idle for a while is still open: the EHR (or a firewall)
   * may have closed it, and sending into a half-closed connection costs a redelivery. Reads with a
   * 1 ms deadline: a timeout means open; end of stream or unexpected bytes mean close it.
   */
  public boolean stillOpen() {
    if (!isConnected()) {
      return false;
    }
    if (System.nanoTime() - lastUsedNanos < idleProbeAfter.toNanos()) {
      return true;
    }
    if (reader.hasBuffered()) {
      return false; // bytes nobody asked for
    }
    try {
      input.deadline(System.nanoTime() + 1_000_000L);
      input.read();
      return false; // -1: closed by the peer; a byte: unexpected data
    } catch (SocketTimeoutException e) {
      lastUsedNanos = System.nanoTime();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends one message and returns the next frame the peer sends, within {@code timeout} from the
   * end of the write.
   *
   * @throws SocketTimeoutException no answer in time
   * @throws EOFException the peer closed the connection without answering
   * @throws io.telebridge.mllp.frame.MllpFramingException the answer broke MLLP framing
   */
  public byte[] exchange(byte[] payload, Duration timeout) throws IOException {
    if (!isConnected()) {
      throw new IOException("not connected");
    }
    if (reader.hasBuffered()) {
      throw new IOException("unexpected bytes from the peer before sending");
    }
    output.write(MllpFrames.frame(payload));
    output.flush();
    input.deadline(System.nanoTime() + timeout.toNanos());
    byte[] answer = reader.readFrame();
    lastUsedNanos = System.nanoTime();
    if (answer == null) {
      throw new EOFException("the peer closed the connection without answering");
    }
    return answer;
  }

  /** Bytes skipped before start blocks on this connection (garbage from the peer). */
  public long skippedBytes() {
    return reader == null ? 0 : reader.skippedBytes();
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    reader = null;
    input = null;
    output = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
