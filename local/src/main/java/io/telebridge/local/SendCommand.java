package io.telebridge.local;

import static io.telebridge.local.Cli.env;
import static io.telebridge.local.Cli.option;
import static io.telebridge.local.Cli.prettyIfJson;
import static io.telebridge.local.Cli.read;
import static io.telebridge.local.Cli.single;

import io.telebridge.core.webhook.WebhookSignature;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code send} and {@code sign}: a file's exact bytes signed as the platform signs webhooks (synthetic data only). */
final class SendCommand {

  private SendCommand() {}

  static int send(List<String> args, PrintStream out, PrintStream err) {
    String url = option(args, "--url", env("TELEBRIDGE_API_URL", Cli.DEFAULT_API_URL));
    String secret = option(args, "--secret", env("TELEBRIDGE_WEBHOOK_SECRET", LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET));
    Path file = Path.of(single(args, "send <file>"));
    byte[] body = read(file);
    HttpRequest request = SignedPost.of(URI.create(url), secret, body, Duration.ofSeconds(30));
    return CliHttp.call(url, "POST " + url, true, err, () -> {
      try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        out.println("POST " + url + " (" + body.length + " bytes, " + file.getFileName() + ")");
        out.println("HTTP " + response.statusCode());
        response.headers().firstValue("content-type").ifPresent(ct -> out.println("Content-Type: " + ct));
        if (!response.body().isEmpty()) {
          out.println(prettyIfJson(response.body()));
        }
        return response.statusCode() / 100 == 2 ? 0 : 1;
      }
    });
  }

  static int sign(List<String> args, PrintStream out, PrintStream err) {
    String secret = option(args, "--secret", env("TELEBRIDGE_WEBHOOK_SECRET", LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET));
    Path file = Path.of(single(args, "sign <file>"));
    byte[] body = read(file);
    long timestamp = Instant.now().getEpochSecond();
    String signature = WebhookSignature.sign(secret, timestamp, body);
    out.println(WebhookSignature.TIMESTAMP_HEADER + ": " + timestamp);
    out.println(WebhookSignature.SIGNATURE_HEADER + ": " + signature);
    err.println("valid for 5 minutes, e.g.: curl -sS -X POST " + env("TELEBRIDGE_API_URL", Cli.DEFAULT_API_URL)
        + " -H 'Content-Type: application/json' -H '" + WebhookSignature.TIMESTAMP_HEADER + ": " + timestamp
        + "' -H '" + WebhookSignature.SIGNATURE_HEADER + ": " + signature + "' --data-binary @" + file);
    return 0;
  }
}
