package io.telebridge.mllp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container health check without curl in the image:
 * {@code java -cp /app/mllp-bridge.jar io.telebridge.mllp.HealthProbe PORT [PATH]} exits 0 on a 200
 * from {@code http://127.0.0.1:PORT/health/live} (or PATH), 1 otherwise. The port comes as an
 * argument (the Dockerfile passes {@code $HEALTH_PORT}); the configuration record stays the only
 * reader of the environment.
 */
public final class HealthProbe {

  private HealthProbe() {}

  public static void main(String[] args) {
    String port = args.length > 0 && !args[0].isBlank() ? args[0] : "8080";
    String path = args.length > 1 ? args[1] : "/health/live";
    try {
      HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(3))
              .GET().build(), HttpResponse.BodyHandlers.discarding());
      System.exit(response.statusCode() == 200 ? 0 : 1);
    } catch (Exception e) {
      System.exit(1);
    }
  }
}
