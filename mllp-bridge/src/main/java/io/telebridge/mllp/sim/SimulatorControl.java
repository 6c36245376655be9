package io.telebridge.mllp.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.telebridge.core.http.FormFields;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The simulator's HTTP control endpoint (loopback; plain text, made for curl):
 *
 * <pre>
 *   GET    /                 this help
 *   GET    /messages         one line per received message: seq time MSH-10 type answer
 *   GET    /messages?full=1  the messages themselves (segments on lines; synthetic data only)
 *   DELETE /messages         forget what was received
 *   GET    /rules            the rules in force
 *   POST   /rules?answer=AE|AR|CA|CE|CR|AA|DROP|SILENT|WRONG_CONTROL_ID
 *                 [&amp;times=N] [&amp;delayMs=MS] [&amp;controlId=ID] [&amp;patient=ID] [&amp;errCode=207] [&amp;errLocation=PID^1^3]
 *   DELETE /rules            back to AA for everything
 *   POST   /down[?seconds=N] stop listening (connections refused, open ones closed); back up after N s
 *   POST   /up               listen again
 *   POST   /reset            no rules, nothing received
 * </pre>
 */
final class SimulatorControl implements AutoCloseable {

  static final String HELP = """
      EHR simulator control
        GET    /messages                    received messages, one line each (?full=1: the HL7 text)
        DELETE /messages                    forget them
        GET    /rules                       rules in force (none: AA to everything)
        POST   /rules?answer=AE&times=1     add a rule; answer = AA AE AR CA CE CR DROP SILENT WRONG_CONTROL_ID
               optional: &times=N &delayMs=MS &controlId=ID &patient=ID &errCode=207 &errLocation=PID^1^3
        DELETE /rules                       back to AA for everything
        POST   /down?seconds=20             EHR outage: refuse connections (for N seconds, or until /up)
        POST   /up                          listen again
        POST   /reset                       no rules, nothing received
      """;

  private final HttpServer server;

  private SimulatorControl(HttpServer server) {
    this.server = server;
  }

  static SimulatorControl start(EhrSimulator sim, String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try {
        handle(sim, exchange);
      } catch (IllegalArgumentException e) {
        send(exchange, 400, e.getMessage() + "\n\n" + HELP);
      } catch (RuntimeException e) {
        send(exchange, 500, e.getClass().getSimpleName() + "\n");
      }
    });
    server.start();
    return new SimulatorControl(server);
  }

  private static void handle(EhrSimulator sim, HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    Map<String, String> q = FormFields.last(exchange.getRequestURI().getRawQuery());
    switch (method + " " + path) {
      case "GET /", "GET /help" -> send(exchange, 200, HELP);
      case "GET /messages" -> {
        StringBuilder b = new StringBuilder();
        boolean full = q.containsKey("full") && !q.get("full").equals("0");
        for (ReceivedMessage m : sim.received()) {
          b.append(m.sequence()).append('\t').append(m.receivedAt()).append('\t').append(m.controlId()).append('\t')
              .append(m.messageType()).append('\t').append(m.answer()).append('\n');
          if (full) {
            b.append(m.text().replace('\r', '\n')).append('\n');
          }
        }
        send(exchange, 200, b.toString());
      }
      case "DELETE /messages" -> {
        sim.clearReceived();
        send(exchange, 200, "cleared\n");
      }
      case "GET /rules" -> {
        var rules = sim.describeRules();
        send(exchange, 200, rules.isEmpty() ? "no rules: AA to everything\n" : String.join("\n", rules) + "\n");
      }
      case "POST /rules" -> {
        SimRule rule = parseRule(q);
        sim.addRule(rule);
        send(exchange, 201, "added: " + rule.describe() + "\n");
      }
      case "DELETE /rules" -> {
        sim.clearRules();
        send(exchange, 200, "cleared: AA to everything\n");
      }
      case "POST /down" -> {
        sim.stopListening();
        String seconds = q.get("seconds");
        if (seconds != null) {
          long s = Long.parseLong(seconds);
          Thread.ofVirtual().start(() -> {
            try {
              Thread.sleep(Duration.ofSeconds(s));
              sim.startListening();
            } catch (InterruptedException | IOException e) {
              // stays down
            }
          });
          send(exchange, 200, "down for " + s + " s\n");
        } else {
          send(exchange, 200, "down until POST /up\n");
        }
      }
      case "POST /up" -> {
        sim.startListening();
        send(exchange, 200, "listening on " + sim.port() + "\n");
      }
      case "POST /reset" -> {
        sim.reset();
        send(exchange, 200, "reset: AA to everything, nothing received\n");
      }
      default -> send(exchange, 404, "unknown: " + method + " " + path + "\n\n" + HELP);
    }
  }

  static SimRule parseRule(Map<String, String> q) {
    String answer = q.get("answer");
    if (answer == null) {
      throw new IllegalArgumentException("answer= is required");
    }
    SimRule rule;
    try {
      rule = SimRule.answer(Answer.valueOf(answer.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown answer " + answer);
    }
    try {
      if (q.containsKey("times")) {
        rule = rule.times(Integer.parseInt(q.get("times")));
      }
      if (q.containsKey("delayMs")) {
        rule = rule.delay(Duration.ofMillis(Long.parseLong(q.get("delayMs"))));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("times and delayMs are integers");
    }
    if (q.containsKey("controlId")) {
      rule = rule.forControlId(q.get("controlId"));
    }
    if (q.containsKey("patient")) {
      rule = rule.forPatient(q.get("patient"));
    }
    if (q.containsKey("errCode")) {
      rule = rule.errorCode(q.get("errCode"));
    }
    if (q.containsKey("errLocation")) {
      rule = rule.errorLocation(q.get("errLocation"));
    }
    return rule;
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
