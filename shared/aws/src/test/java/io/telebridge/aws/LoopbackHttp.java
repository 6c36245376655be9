package io.telebridge.aws;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one real HTTP peer the shared/aws unit tests talk to: a JDK HttpServer on 127.0.0.1 at a free port that
 * records every request it receives (in order) and answers each with what the test's {@link Answer} says.
 * Start it in a test's set-up, point a client at {@link #uri()}, close it in the tear-down.
 */
final class LoopbackHttp implements AutoCloseable {

  /** One request as it came over the wire; header names as the JDK server normalises them ("X-amz-date"). */
  record Request(String method, String rawPath, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header (case-insensitive), or null. */
    String header(String name) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue().isEmpty() ? null : h.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** What the peer answers: status, body (empty for none) and extra response headers. */
  record Response(int status, byte[] body, Map<String, String> headers) {

    static Response ok() {
      return new Response(200, new byte[0], Map.of());
    }

    static Response of(int status, byte[] body) {
      return new Response(status, body, Map.of());
    }

    static Response of(int status, String body) {
      return of(status, body.getBytes(StandardCharsets.UTF_8));
    }

    Response withHeader(String name, String value) {
      Map<String, String> more = new java.util.LinkedHashMap<>(headers);
      more.put(name, value);
      return new Response(status, body, Map.copyOf(more));
    }
  }

  /** The test's side of the conversation. */
  @FunctionalInterface
  interface Answer {
    Response to(Request request) throws IOException;
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private LoopbackHttp(Answer answer) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes());
        requests.add(request);
        Response response = answer.to(request);
        response.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        exchange.getResponseBody().write(response.body());
      }
    });
    server.start();
  }

  /** A started peer that answers every request with {@code answer}. */
  static LoopbackHttp start(Answer answer) {
    return new LoopbackHttp(answer);
  }

  /** A started peer that answers every request 200 with no body. */
  static LoopbackHttp start() {
    return start(request -> Response.ok());
  }

  /** http://127.0.0.1:port */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request received so far, in arrival order (a live, thread-safe view). */
  List<Request> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
