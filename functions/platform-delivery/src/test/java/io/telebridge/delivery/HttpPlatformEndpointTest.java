package io.telebridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.toplatform.PlatformEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback. */
class HttpPlatformEndpointTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI serve(int status, String retryAfter, long delayMs, AtomicReference<String> seen) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      seen.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
          + exchange.getRequestHeaders().getFirst("Idempotency-Key") + " " + new String(body, StandardCharsets.UTF_8));
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (retryAfter != null) {
        exchange.getResponseHeaders().set("Retry-After", retryAfter);
      }
      byte[] answer = "{\"detail\":\"not for logs\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ehr-events");
  }

  @Test
  void postsJsonWithTheHeadersAndReturnsStatusAndRetryAfter() throws IOException {
    AtomicReference<String> seen = new AtomicReference<>();
    URI uri = serve(429, "2", 0, seen);
    PlatformEndpoint.Response r = new HttpPlatformEndpoint(uri, Duration.ofSeconds(2), Duration.ofSeconds(5))
        .post(Map.of("Idempotency-Key", "evt-1"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertEquals(429, r.status());
    assertEquals(Optional.of("2"), r.retryAfter());
    assertEquals("POST application/json evt-1 {\"a\":1}", seen.get());
  }

  @Test
  void aRedirectIsAnAnswerNotFollowed() throws IOException {
    URI uri = serve(302, null, 0, new AtomicReference<>());
    assertEquals(302, new HttpPlatformEndpoint(uri, Duration.ofSeconds(2), Duration.ofSeconds(5)).post(Map.of(), new byte[0]).status());
  }

  @Test
  void aRefusedConnectionIsTransient() throws IOException {
    int freePort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    HttpPlatformEndpoint endpoint = new HttpPlatformEndpoint(URI.create("http://127.0.0.1:" + freePort + "/"),
        Duration.ofSeconds(2), Duration.ofSeconds(2));
    TransientException e = assertThrows(TransientException.class, () -> endpoint.post(Map.of(), new byte[0]));
    assertTrue(e.getCause() instanceof IOException);
  }

  @Test
  void aSlowAnswerTimesOutAsTransient() throws IOException {
    URI uri = serve(200, null, 1_500, new AtomicReference<>());
    HttpPlatformEndpoint endpoint = new HttpPlatformEndpoint(uri, Duration.ofSeconds(2), Duration.ofMillis(300));
    TransientException e = assertThrows(TransientException.class, () -> endpoint.post(Map.of(), new byte[0]));
    assertTrue(e.getMessage().contains("Timeout"), e.getMessage());
  }
}
