package io.telebridge.mllp.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The health endpoint (JDK HttpServer):
 *
 * <ul>
 *   <li>{@code GET /health}: 200 while the bridge polls and its last connect to the EHR succeeded
 *       (or none was tried yet); 503 otherwise. For the load balancer / monitoring: "is the EHR
 *       feed flowing".
 *   <li>{@code GET /health/live}: 200 while the sender loop is alive (not stuck); what the
 *       container health check uses, so that an EHR outage does not make ECS replace the task
 *       again and again (a new task would not reach the EHR either).
 *   <li>{@code GET /health/ready}: 200 while the MLLP listener is bound and accepting (or is off) and
 *       the sender loop is alive; 503 otherwise (starting, draining). The NLB's target group checks
 *       this one: the EHR's connections go only to a task that listens.
 * </ul>
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(String host, int port, Bridge bridge) throws IOException {
    return start(host, port, bridge, null);
  }

  /** With the MLLP listener (or null when it is off): {@code /health/ready} reports whether it is bound. */
  public static HealthServer start(String host, int port, Bridge bridge, io.telebridge.mllp.listener.MllpListener listener)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/health", exchange -> {
      String path = exchange.getRequestURI().getPath();
      // bridge == null: a listener-only task (SENDER_ENABLED=false); listener == null: no listener
      boolean senderAlive = bridge == null || bridge.alive();
      String sender = bridge == null ? "OFF" : bridge.alive() ? "ALIVE" : "STOPPED";
      boolean listening = listener == null || listener.ready();
      if (path.equals("/health/ready")) {
        boolean ready = listening && senderAlive;
        answer(exchange, ready ? 200 : 503, "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"listener\":\""
            + (listener == null ? "OFF" : listening ? "BOUND" : "NOT_BOUND") + "\""
            + (listener == null ? "" : ",\"listenerPort\":" + listener.port() + ",\"openConnections\":" + listener.openConnections())
            + ",\"sender\":\"" + sender + "\"}");
      } else if (path.equals("/health/live")) {
        boolean alive = bridge == null ? listening : bridge.alive();
        answer(exchange, alive ? 200 : 503, "{\"status\":\"" + (alive ? "UP" : "DOWN") + "\"}");
      } else if (path.equals("/health") || path.equals("/health/")) {
        boolean healthy = bridge == null ? listening : bridge.healthy();
        answer(exchange, healthy ? 200 : 503, "{\"status\":\"" + (healthy ? "UP" : "DOWN") + "\",\"polling\":"
            + (bridge != null && bridge.polling()) + ",\"ehrConnection\":\""
            + (bridge == null ? "OFF" : bridge.connectState().name()) + "\",\"listener\":\""
            + (listener == null ? "OFF" : listener.ready() ? "BOUND" : "NOT_BOUND") + "\"}");
      } else {
        answer(exchange, 404, "{\"status\":\"NOT_FOUND\"}");
      }
    });
    server.start();
    return new HealthServer(server);
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
