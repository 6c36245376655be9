package io.telebridge.tests;

import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpReader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** An EHR's side of an MLLP connection, for the listener's tests: send a frame, read the answer. */
final class MllpTestClient implements Closeable {

  private final Socket socket;
  private final MllpReader reader;

  private MllpTestClient(Socket socket) throws IOException {
    this.socket = socket;
    this.reader = new MllpReader(socket.getInputStream(), 1 << 20);
  }

  static MllpTestClient connect(int port) throws IOException {
    return connect(port, null);
  }

  static MllpTestClient connect(int port, SSLContext tls) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(20_000);
    if (tls != null) {
      SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, "localhost", port, true);
      t.setSoTimeout(20_000);
      t.startHandshake();
      s = t;
    }
    return new MllpTestClient(s);
  }

  /** Sends one frame and returns the answer's text, or null when the listener closed the connection without one. */
  String exchange(String message) throws IOException {
    return exchange(message.getBytes(StandardCharsets.UTF_8));
  }

  String exchange(byte[] payload) throws IOException {
    socket.getOutputStream().write(MllpFrames.frame(payload));
    socket.getOutputStream().flush();
    byte[] answer = reader.readFrame();
    return answer == null ? null : new String(answer, StandardCharsets.UTF_8);
  }

  /** Writes raw bytes (no framing added). */
  void writeRaw(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  String readAnswer() throws IOException {
    byte[] answer = reader.readFrame();
    return answer == null ? null : new String(answer, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
