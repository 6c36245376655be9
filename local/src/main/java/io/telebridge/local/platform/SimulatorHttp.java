package io.telebridge.local.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.telebridge.core.http.FormFields;
import io.telebridge.local.platform.PlatformSimulator.Rule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The platform simulator's HTTP surface: the control paths (deliveries, rules, reset, help) answered here,
 * any other POST handed to {@link PlatformSimulator#deliver} as a delivery; a bad control request is answered
 * 400 with the help text.
 */
final class SimulatorHttp implements HttpHandler {

  static final String HELP = """
      Platform simulator (receives telebridge's EHR events)
        POST   /ehr-events                   a delivery (signature verified; answered 200 unless a rule says otherwise)
        GET    /deliveries                   what was received, JSON: headers, body, answer
        DELETE /deliveries                   forget them
        GET    /rules                        rules in force (none: 200 to everything)
        POST   /rules?status=503&times=1     the next delivery gets 503; also 500, 429, 400, any 2xx-5xx
               optional: &times=N (default: until DELETE /rules) &retryAfter=SECONDS &eventId=ID &delayMs=MS
        DELETE /rules                        back to 200 for everything
        POST   /reset                        no rules, nothing received
      """;


  private final PlatformSimulator sim;

  SimulatorHttp(PlatformSimulator sim) {
    this.sim = sim;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (IllegalArgumentException e) {
      send(exchange, 400, "text/plain; charset=utf-8", e.getMessage() + "\n\n" + HELP);
    } catch (RuntimeException e) {
      send(exchange, 500, "text/plain; charset=utf-8", e.getClass().getSimpleName() + "\n");
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    Map<String, String> q = FormFields.last(exchange.getRequestURI().getRawQuery());
    switch (method + " " + path) {
      case "GET /", "GET /help" -> send(exchange, 200, "text/plain; charset=utf-8", HELP);
      case "GET /deliveries" -> send(exchange, 200, "application/json", DeliveryLog.text(sim.received()) + "\n");
      case "DELETE /deliveries" -> {
        sim.clearReceived();
        send(exchange, 200, "text/plain; charset=utf-8", "cleared\n");
      }
      case "GET /rules" -> {
        List<String> in = sim.describeRules();
        send(exchange, 200, "text/plain; charset=utf-8", in.isEmpty() ? "no rules: 200 to everything\n" : String.join("\n", in) + "\n");
      }
      case "POST /rules" -> {
        Rule rule = parseRule(q);
        sim.addRule(rule);
        send(exchange, 201, "text/plain; charset=utf-8", "added: " + rule.describe() + "\n");
      }
      case "DELETE /rules" -> {
        sim.clearRules();
        send(exchange, 200, "text/plain; charset=utf-8", "cleared: 200 to everything\n");
      }
      case "POST /reset" -> {
        sim.reset();
        send(exchange, 200, "text/plain; charset=utf-8", "reset: 200 to everything, nothing received\n");
      }
      default -> {
        if (method.equals("POST")) {
          sim.deliver(exchange, path);
        } else {
          send(exchange, 404, "text/plain; charset=utf-8", "unknown: " + method + " " + path + "\n\n" + HELP);
        }
      }
    }
  }


  static Rule parseRule(Map<String, String> q) {
    String status = q.get("status");
    if (status == null) {
      throw new IllegalArgumentException("status= is required (e.g. 500, 503, 429, 400)");
    }
    try {
      int times = q.containsKey("times") ? Integer.parseInt(q.get("times")) : -1;
      if (times == 0 || times < -1) {
        throw new IllegalArgumentException("times must be positive");
      }
      Integer retryAfter = q.containsKey("retryAfter") ? Integer.valueOf(q.get("retryAfter")) : null;
      Duration delay = q.containsKey("delayMs") ? Duration.ofMillis(Long.parseLong(q.get("delayMs"))) : null;
      return new Rule(Integer.parseInt(status), times, retryAfter, q.get("eventId"), delay);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("status, times, retryAfter and delayMs are integers");
    }
  }



  static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
