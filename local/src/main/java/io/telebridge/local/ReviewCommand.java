package io.telebridge.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./tb review list|show|link|new}: the review API from the command line, signed with SigV4 by
 * the SDK's signer — against the local stack with its credentials, or with {@code --aws} against the
 * deployed {@code ReviewApiUrl} with the default credential chain.
 */
final class ReviewCommand {

  static final String USAGE = "review list [--tenant T]|show <caseId> [--demographics]|link <caseId> <personId>"
      + "|new <caseId> [--url URL] [--aws [--stack NAME]]";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ReviewCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    // the API takes the caller's tenants from its identity; --tenant only narrows a list to one of them
    String tenant = Cli.option(args, "--tenant", null);
    String url = Cli.option(args, "--url", null);
    String stackName = Cli.option(args, "--stack", Cli.env("TELEBRIDGE_STACK", Cli.DEFAULT_STACK));
    boolean aws = args.remove("--aws");
    boolean demographics = args.remove("--demographics");
    for (String a : args) {
      if (a.startsWith("--")) {
        throw new IllegalArgumentException("unknown option " + a + "; usage: " + USAGE);
      }
    }
    if (args.isEmpty()) {
      throw new IllegalArgumentException("usage: " + USAGE);
    }
    String action = args.get(0);
    List<String> operands = new ArrayList<>(args.subList(1, args.size()));
    int wanted = switch (action) {
      case "list" -> 0;
      case "show", "new" -> 1;
      case "link" -> 2;
      default -> throw new IllegalArgumentException("unknown review action " + action + "; usage: " + USAGE);
    };
    if (operands.size() != wanted || demographics && !action.equals("show")
        || tenant != null && !action.equals("list")) {
      throw new IllegalArgumentException("usage: " + USAGE);
    }
    Connection connection;
    try {
      connection = connect(aws, url, stackName);
    } catch (SdkException e) {
      err.println("review --aws: " + e.getMessage());
      return 1;
    }
    ReviewClient client = connection.client();
    String where = connection.where();
    try {
      HttpResponse<String> response = switch (action) {
        case "list" -> client.list(tenant);
        case "show" -> client.show(operands.get(0), demographics);
        case "new" -> client.createNew(operands.get(0));
        default -> client.link(operands.get(0), operands.get(1));
      };
      if (response.statusCode() / 100 != 2) {
        err.println("HTTP " + response.statusCode());
        if (!response.body().isEmpty()) {
          err.println(Cli.prettyIfJson(response.body()));
        }
        if (response.statusCode() == 403) {
          err.println(aws ? "the review API refused the signature: check the credentials (AWS_PROFILE) and their"
              + " execute-api:Invoke permission" : "the local API refused the signature");
        }
        return 1;
      }
      if (action.equals("list")) {
        printTable(JSON.readTree(response.body()), out);
      } else {
        out.println(Cli.prettyIfJson(response.body()));
      }
      return 0;
    } catch (ConnectException e) {
      err.println("nothing answers at " + where + (aws ? "" : ": is the local stack running? (./tb local)"));
      return 1;
    } catch (IOException | JacksonException e) {
      err.println("review " + action + " at " + where + " failed: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** A signing client for the review API's HTTP API (also the ops routes: trace, replay) and where it points. */
  record Connection(ReviewClient client, String where) {}

  /**
   * Locally: the local API with the local stack's credentials; {@code aws}: the deployed {@code ReviewApiUrl}
   * (or {@code url}) with the default credential chain and region.
   */
  static Connection connect(boolean aws, String url, String stackName) {
    if (aws) {
      URI base = URI.create(url != null ? url : reviewApiUrl(stackName));
      String region = ReviewClient.regionOf(base);
      if (region == null) {
        region = DefaultAwsRegionProviderChain.builder().build().getRegion().id();
      }
      AwsCredentialsIdentity credentials = DefaultCredentialsProvider.builder().build().resolveCredentials();
      return new Connection(new ReviewClient(base, credentials, region), base.toString());
    }
    String base = url != null ? url : Cli.env("TELEBRIDGE_REVIEW_API_URL", origin(
        Cli.env("TELEBRIDGE_API_URL", Cli.DEFAULT_API_URL)));
    var local = LocalStack.localCredentials();
    return new Connection(new ReviewClient(URI.create(base), AwsCredentialsIdentity.create(local.accessKey(),
        local.secretKey()), io.telebridge.local.aws.AwsClients.REGION.id()), base);
  }

  /** {@code http://127.0.0.1:3000/v1/events} → {@code http://127.0.0.1:3000}. */
  static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  /** The stack's {@code ReviewApiUrl} output (default credentials and region). */
  static String reviewApiUrl(String stackName) {
    try (CloudFormationClient cfn = CloudFormationClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      for (Output o : cfn.describeStacks(b -> b.stackName(stackName)).stacks().get(0).outputs()) {
        if (o.outputKey().equals("ReviewApiUrl")) {
          return o.outputValue();
        }
      }
    }
    throw new IllegalArgumentException("stack " + stackName + " has no ReviewApiUrl output (deployed before the"
        + " review API?); give --url");
  }

  /** The open cases as a table, each followed by its candidates' explanations. */
  static void printTable(JsonNode body, PrintStream out) {
    JsonNode cases = body.path("cases");
    if (cases.isEmpty()) {
      List<String> tenants = body.path("tenants").valueStream().map(JsonNode::asString).toList();
      out.println("no open review cases for " + (tenants.isEmpty() ? "tenant " + body.path("tenant").asString("")
          : (tenants.size() == 1 ? "tenant " : "tenants ") + String.join(", ", tenants)));
      return;
    }
    String format = "%-24s %-10s %-26s %7s  %-20s  %-16s %s%n";
    out.printf(Locale.ROOT, format, "CASE", "STATUS", "REASON", "SCORE", "CREATED", "PATIENT", "FIRST EVENT");
    for (JsonNode c : cases) {
      String created = c.path("createdAt").asString("");
      out.printf(Locale.ROOT, format, c.path("caseId").asString(""), c.path("status").asString(""),
          c.path("reason").asString(""), String.format(Locale.ROOT, "%.2f", c.path("score").asDouble()),
          created.length() > 19 ? created.substring(0, 19) + "Z" : created,
          c.path("platformPatientId").asString(""), c.path("firstEventId").asString(""));
      for (JsonNode k : c.path("candidates")) {
        out.printf(Locale.ROOT, "    candidate %s  score %.2f  agreed: %s  disagreed: %s  missing: %s  guards: %s%n",
            k.path("personId").asString(""), k.path("score").asDouble(), join(k.path("agreed")),
            join(k.path("disagreed")), join(k.path("missing")), join(k.path("guards")));
      }
    }
    out.println();
    out.println(cases.size() + " open case(s). Decide with: ./tb review show <caseId> [--demographics], then"
        + " ./tb review link <caseId> <personId>  or  ./tb review new <caseId>");
  }

  private static String join(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(v -> parts.add(v.asString()));
    return parts.isEmpty() ? "-" : String.join(",", parts);
  }
}
