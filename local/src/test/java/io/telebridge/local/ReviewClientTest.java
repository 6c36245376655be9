package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The review client's requests: the API takes the caller's tenants from its identity, so only a list
 * may name a tenant (to narrow), and a case is addressed by its id alone.
 */
class ReviewClientTest {

  private final List<String> requests = new ArrayList<>();
  private HttpServer server;
  private ReviewClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{}".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    client = new ReviewClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        AwsCredentialsIdentity.create("AKIDLOCAL", "secret"), "us-east-1");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void addressesCasesByIdAloneAndNarrowsOnlyAListToATenant() throws Exception {
    client.list(null);
    client.list("north-clinic");
    client.show("rc-1", false);
    client.show("rc-1", true);
    client.link("rc-1", "per-2");
    client.createNew("rc-1");
    assertEquals(List.of("GET /v1/reviews", "GET /v1/reviews?tenant=north-clinic", "GET /v1/reviews/rc-1",
        "GET /v1/reviews/rc-1?include=demographics", "POST /v1/reviews/rc-1/resolution",
        "POST /v1/reviews/rc-1/resolution"), requests);
  }
}
