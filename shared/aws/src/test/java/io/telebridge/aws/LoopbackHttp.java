package io.telebridge.aws;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP peer on loopback for the signed-request tests (S3, DynamoDB): records every request as it
 * came over the wire and answers what {@link #answer} says (200 with no body by default).
 */
public final class LoopbackHttp implements AutoCloseable {

  /** One request as received. */
  public record Seen(String method, String rawPath, Map<String, List<String>> headers, byte[] body) {
    /** The first value of a header, by its name in any case; null if absent. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    /** Every header, names lower-cased, values joined by commas. */
    public Map<String, String> joinedHeaders() {
      Map<String, String> out = new LinkedHashMap<>();
      headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      return out;
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What to answer. */
  public record Answer(int status, byte[] body) {
    public static Answer of(int status, String body) {
      return new Answer(status, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile Function<Seen, Answer> answer = s -> new Answer(200, new byte[0]);

  public LoopbackHttp() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Seen s = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          Map.copyOf(exchange.getRequestHeaders()), body);
      seen.add(s);
      Answer a = answer.apply(s);
      exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
      exchange.getResponseBody().write(a.body());
      exchange.close();
    });
    server.start();
  }

  /** Answers every following request with {@code answer}. */
  public LoopbackHttp answer(Function<Seen, Answer> answer) {
    this.answer = answer;
    return this;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Seen> seen() {
    return seen;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
