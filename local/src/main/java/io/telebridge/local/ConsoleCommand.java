package io.telebridge.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * {@code ./tb console}: where the ops console is. Locally it is served by the local stack itself
 * ({@code http://127.0.0.1:3000/console}, the browser on this machine signed in as the local developer).
 * With {@code --aws} the console's routes are IAM-authorised, which a browser cannot sign: this command
 * then listens on loopback only and forwards each {@code /console} request to the deployed review API,
 * signed with SigV4 with the operator's own credentials (the default chain), so the console acts as them.
 */
final class ConsoleCommand {

  static final String USAGE = "console [--aws [--stack NAME] [--url URL] [--port N]]";
  /** What a console page needs of the browser's request; nothing else is forwarded. */
  private static final Set<String> FORWARDED = Set.of("content-type", "cookie", "sec-fetch-site", "accept");

  private ConsoleCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    boolean aws = args.remove("--aws");
    String stackName = Cli.option(args, "--stack", Cli.env("TELEBRIDGE_STACK", Cli.DEFAULT_STACK));
    String url = Cli.option(args, "--url", null);
    int port = Integer.parseInt(Cli.option(args, "--port", "8443"));
    if (!args.isEmpty()) {
      err.println("usage: ./tb " + USAGE);
      return 2;
    }
    if (!aws) {
      out.println("the local stack serves the console: " + ReviewCommand.origin(Cli.env("TELEBRIDGE_API_URL",
          Cli.DEFAULT_API_URL)) + "/console   (a browser on this machine is the local developer)");
      return 0;
    }
    ReviewCommand.Connection connection;
    try {
      connection = ReviewCommand.connect(true, url, stackName);
    } catch (RuntimeException e) {
      err.println("cannot reach the deployed review API: " + e.getMessage());
      return 1;
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", exchange -> forward(exchange, connection.client(), err));
      server.start();
      out.println("console of " + connection.where() + " on http://127.0.0.1:" + server.getAddress().getPort()
          + "/console   (loopback only; each request signed with your AWS credentials; Ctrl-C stops)");
      new CountDownLatch(1).await();
      return 0;
    } catch (IOException e) {
      err.println("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + "); give --port");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static void forward(HttpExchange exchange, ReviewClient client, PrintStream err) {
    try {
      String path = exchange.getRequestURI().getRawPath();
      if (!path.equals("/console") && !path.startsWith("/console/")) {
        exchange.getResponseHeaders().set("Location", "/console");
        exchange.sendResponseHeaders(path.equals("/") ? 303 : 404, -1);
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !values.isEmpty()) {
          headers.put(name, String.join("; ", values));
        }
      });
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(256 * 1024);
      }
      HttpResponse<byte[]> answer = client.forward(exchange.getRequestMethod(), path + (query == null ? "" : "?" + query),
          headers, body);
      answer.headers().map().forEach((name, values) -> {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.equals("content-length") && !n.equals("transfer-encoding") && !n.equals("connection")
            && !n.equals(":status") && !n.equals("date")) {
          values.forEach(v -> exchange.getResponseHeaders().add(name, v));
        }
      });
      byte[] bytes = answer.body();
      exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(bytes);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      err.println("console: " + exchange.getRequestMethod() + " failed: " + e.getClass().getSimpleName());
      try {
        exchange.sendResponseHeaders(502, -1);
      } catch (IOException | RuntimeException alreadyAnswered) {
        // the answer had begun; the browser sees a cut-off page
      }
    } finally {
      exchange.close();
    }
  }
}
