package io.telebridge.local;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./tb context <tenant> <patientId> [--appointment A] [--url URL] [--secret S] [--aws [--stack NAME]]}:
 * asks for a patient's clinical context through the on-demand route ({@code POST /v1/context-requests},
 * signed with the tenant's webhook secret like {@code ./tb send}) and prints the document (JSON with
 * {@code patient}, {@code problems}, {@code medications}, {@code allergies}, {@code results},
 * {@code provenance}). Locally the development secret; {@code --aws}: the deployed stack's WebhookUrl
 * (outputs of stack NAME) and {@code --secret} or $TELEBRIDGE_WEBHOOK_SECRET (the tenant's own). Exit 0
 * on 200, 3 on 202 (the EHR was slow: the context arrives as a webhook), 1 otherwise.
 */
final class ContextCommand {

  static final String USAGE = "context <tenant> <patientId> [--appointment A] [--url URL] [--secret S] [--aws [--stack NAME]]";
  static final String PATH = "/v1/context-requests";

  private ContextCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    boolean aws = args.remove("--aws");
    String url = Cli.option(args, "--url", null);
    String secret = Cli.option(args, "--secret", Cli.env("TELEBRIDGE_WEBHOOK_SECRET",
        aws ? null : LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET));
    String stack = Cli.option(args, "--stack", Cli.env("TELEBRIDGE_STACK", Cli.DEFAULT_STACK));
    String appointment = Cli.option(args, "--appointment", null);
    if (args.size() != 2) {
      throw new IllegalArgumentException("usage: " + USAGE);
    }
    if (secret == null) {
      throw new IllegalArgumentException("context --aws: give the tenant's webhook secret (--secret or $TELEBRIDGE_WEBHOOK_SECRET)");
    }
    if (url == null) {
      String events = aws ? webhookUrl(stack) : Cli.env("TELEBRIDGE_API_URL", Cli.DEFAULT_API_URL);
      URI u = URI.create(events);
      url = u.getScheme() + "://" + u.getRawAuthority() + PATH;
    }
    ObjectNode request = JsonMapper.builder().build().createObjectNode();
    request.put("tenant", args.get(0));
    request.put("patientId", args.get(1));
    if (appointment != null) {
      request.put("appointmentId", appointment);
    }
    byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
    HttpRequest http = SignedPost.of(URI.create(url), secret, body, Duration.ofSeconds(30));
    return CliHttp.call(url, "POST " + url, !aws, err, () -> {
      try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
        HttpResponse<String> response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 200) {
          out.println(Cli.prettyIfJson(response.body()));
          return 0;
        }
        if (response.statusCode() == 202) {
          err.println("HTTP 202: the EHR is slow; the context will arrive at the platform as patient.context.ready");
          return 3;
        }
        err.println("HTTP " + response.statusCode());
        err.println(Cli.prettyIfJson(response.body()));
        return 1;
      }
    });
  }

  /** The deployed stack's {@code WebhookUrl} output (default credentials and region). */
  static String webhookUrl(String stackName) {
    try (CloudFormationClient cfn = CloudFormationClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
        .build()) {
      for (Output o : cfn.describeStacks(b -> b.stackName(stackName)).stacks().get(0).outputs()) {
        if (o.outputKey().equals("WebhookUrl")) {
          return o.outputValue();
        }
      }
    }
    throw new IllegalArgumentException("stack " + stackName + " has no WebhookUrl output; give --url");
  }
}
