package io.telebridge.mllp.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.mllp.tls.TlsConfig;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The listener's connection handling over real loopback TCP, with an in-memory store. */
class MllpListenerTest {

  private final InMemoryInboundStore store = new InMemoryInboundStore();

  private MllpListener start(Duration idle, int maxConnections, int maxFrame) throws IOException {
    ListenerConfig c = new ListenerConfig(true, "127.0.0.1", 0, "q", "qq", TlsConfig.off(), ClientAllowList.any(),
        maxFrame, idle, maxConnections, StandardCharsets.UTF_8, "TELEHEALTH", java.time.ZoneOffset.UTC);
    return new MllpListener(c, new AcceptInboundFrame(store, new FromEhrReader("TELEHEALTH", java.time.ZoneOffset.UTC),
        StandardCharsets.UTF_8,
        Clock.systemUTC(), () -> "A")).start();
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(15_000);
    return s;
  }

  private static byte[] exchange(Socket s, byte[] payload) throws IOException {
    s.getOutputStream().write(MllpFrames.frame(payload));
    return new MllpReader(s.getInputStream(), 1 << 20).readFrame();
  }

  @Test
  void anIdleConnectionIsClosedByTheListener() throws Exception {
    try (MllpListener l = start(Duration.ofSeconds(1), 8, 4096); Socket s = connect(l.port())) {
      assertEquals(-1, s.getInputStream().read(), "closed after the idle timeout");
    }
  }

  @Test
  void connectionsBeyondTheLimitAreRefused() throws Exception {
    try (MllpListener l = start(Duration.ofSeconds(30), 1, 4096); Socket first = connect(l.port())) {
      byte[] ack = exchange(first, AcceptInboundFrameTest.ORU.getBytes(StandardCharsets.UTF_8));
      assertTrue(new String(ack, StandardCharsets.UTF_8).contains("MSA|AA|LAB-0001"));
      byte[] none;
      // the listener resets a connection beyond the limit at accept: on loopback the reset can reach
      // the client during connect, on its first write, or as the end of the stream
      try (Socket second = connect(l.port())) {
        none = exchange(second, AcceptInboundFrameTest.ORU.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        none = null;
      }
      assertNull(none);
      for (int i = 0; i < 100 && l.counters().refusedConnections.get() == 0; i++) {
        Thread.sleep(20);
      }
      assertEquals(1, l.counters().refusedConnections.get());
      assertEquals(1, store.queued.size());
    }
  }

  @Test
  void anOversizeFrameWithoutEndBlockIsAnsweredArAndTheConnectionClosed() throws Exception {
    try (MllpListener l = start(Duration.ofSeconds(30), 8, 1024); Socket s = connect(l.port())) {
      byte[] big = new byte[3000];
      Arrays.fill(big, (byte) 'x');
      byte[] head = "MSH|^~\\&|A|B|C|D|2026||ORU^R01|OV1|P|2.5.1\r".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(head, 0, big, 0, head.length);
      s.getOutputStream().write(MllpFrames.START_BLOCK);
      s.getOutputStream().write(big);
      s.shutdownOutput(); // no end block: out of step
      MllpReader r = new MllpReader(s.getInputStream(), 1 << 20);
      String ack = new String(r.readFrame(), StandardCharsets.UTF_8);
      assertTrue(ack.contains("MSA|AR|OV1"), ack);
      assertNull(r.readFrame(), "then closed");
      assertEquals("frame-too-large", store.quarantined.get(0).reason());
    }
  }

  @Test
  void shutdownClosesIdleConnectionsAndStopsAccepting() throws Exception {
    MllpListener l = start(Duration.ofSeconds(30), 8, 4096);
    try (Socket s = connect(l.port())) {
      assertTrue(l.ready());
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (l.openConnections() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(l.close(Duration.ofSeconds(5)));
      assertFalse(l.ready());
      assertEquals(-1, s.getInputStream().read());
    }
  }
}
