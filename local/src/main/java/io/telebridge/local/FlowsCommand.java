package io.telebridge.local;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./tb flows [set <tenant> <flow> on|off|shadow]} and {@code ./tb shadow-report --since <ISO|duration>}:
 * the ops routes {@code /v1/flows} and {@code /v1/shadow-report}, signed with SigV4 like {@code ./tb trace}
 * (locally with the local stack's credentials; {@code --aws} against the deployed stack). The report
 * prints counts and field names only (no PHI).
 */
final class FlowsCommand {

  static final String FLOWS_USAGE = "flows [set <tenant> <flow> on|off|shadow] [--tenant T] [--json] [--url URL]"
      + " [--aws [--stack NAME]]";
  static final String REPORT_USAGE = "shadow-report --since <ISO|duration> [--until ISO] [--tenant T] [--json]"
      + " [--url URL] [--aws [--stack NAME]]";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FlowsCommand() {}

  static int run(String command, List<String> args, PrintStream out, PrintStream err) {
    boolean report = command.equals("shadow-report");
    String tenant = Cli.option(args, "--tenant", DevEnvironment.get("TELEBRIDGE_TENANT", null));
    String url = Cli.option(args, "--url", null);
    String stackName = Cli.option(args, "--stack", Cli.env("TELEBRIDGE_STACK", Cli.DEFAULT_STACK));
    String since = report ? Cli.option(args, "--since", null) : null;
    String until = report ? Cli.option(args, "--until", null) : null;
    boolean aws = args.remove("--aws");
    boolean json = args.remove("--json");
    String method;
    String path;
    String put = null;
    if (report) {
      if (since == null || !args.isEmpty()) {
        throw new IllegalArgumentException("usage: " + REPORT_USAGE);
      }
      path = "/v1/shadow-report?since=" + enc(since) + (until == null ? "" : "&until=" + enc(until))
          + (tenant == null || tenant.isEmpty() ? "" : "&tenant=" + enc(tenant));
      method = "GET";
    } else if (args.isEmpty()) {
      method = "GET";
      path = "/v1/flows" + (tenant == null || tenant.isEmpty() ? "" : "?tenant=" + enc(tenant));
    } else if (args.size() == 4 && args.get(0).equals("set")) {
      method = "PUT";
      path = "/v1/flows/" + enc(args.get(1)) + "/" + enc(args.get(2));
      put = "{\"mode\":" + JSON.writeValueAsString(args.get(3)) + "}";
    } else {
      throw new IllegalArgumentException("usage: " + FLOWS_USAGE);
    }
    ReviewCommand.Connection connected;
    try {
      connected = ReviewCommand.connect(aws, url, stackName);
    } catch (SdkException e) {
      err.println(command + " --aws: " + e.getMessage());
      return 1;
    }
    ReviewCommand.Connection connection = connected;
    String body = put;
    return CliHttp.call(connection.where(), command + " at " + connection.where(), !aws, err, () -> {
      HttpResponse<String> response = connection.client().send(method, path, body);
      if (response.statusCode() / 100 != 2) {
        err.println("HTTP " + response.statusCode());
        if (!response.body().isEmpty()) {
          err.println(Cli.prettyIfJson(response.body()));
        }
        return 1;
      }
      JsonNode answer = JSON.readTree(response.body());
      if (json) {
        out.println(Cli.prettyIfJson(response.body()));
      } else if (report) {
        printReport(answer, out);
      } else if (method.equals("PUT")) {
        out.printf(Locale.ROOT, "%s %s -> %s (was %s; by %s, audited; every function sees it within %d s)%n",
            answer.path("tenant").asString(""), answer.path("flow").asString(""), answer.path("mode").asString(""),
            answer.path("from").asString("?"), answer.path("updatedBy").asString(""),
            answer.path("takesEffectWithinSeconds").asInt());
      } else {
        printFlows(answer, out);
      }
      return 0;
    });
  }

  static void printFlows(JsonNode answer, PrintStream out) {
    String format = "%-20s  %-17s  %-7s  %s%n";
    out.printf(Locale.ROOT, format, "TENANT", "FLOW", "MODE", "SET");
    for (JsonNode t : answer.path("tenants")) {
      for (JsonNode f : t.path("flows")) {
        out.printf(Locale.ROOT, format, t.path("tenant").asString(""), f.path("flow").asString(""),
            f.path("mode").asString(""), f.has("updatedAt")
                ? f.path("updatedAt").asString("") + " by " + f.path("updatedBy").asString("") : "(default)");
      }
    }
  }

  /** Per tenant and flow: counts and agreement, then the differing fields with their counts (names only). */
  static void printReport(JsonNode answer, PrintStream out) {
    out.printf(Locale.ROOT, "shadow report %s .. %s%n", answer.path("since").asString(""),
        answer.path("until").asString(""));
    String format = "%-20s  %-17s  %8s  %8s  %7s  %6s  %9s  %16s  %13s%n";
    out.printf(Locale.ROOT, format, "TENANT", "FLOW", "SHADOWED", "FROM EHR", "MATCHED", "AGREED", "AGREEMENT",
        "UNMATCHED SHADOW", "UNMATCHED EHR");
    List<String> fieldLines = new ArrayList<>();
    boolean any = false;
    for (JsonNode r : answer.path("reports")) {
      for (JsonNode f : r.path("flows")) {
        any = true;
        out.printf(Locale.ROOT, format, r.path("tenant").asString(""), f.path("flow").asString(""),
            f.path("shadowed").asInt(), f.path("fromEhr").asInt(), f.path("matched").asInt(), f.path("agreed").asInt(),
            f.has("agreement") ? String.format(Locale.ROOT, "%.0f%%", f.path("agreement").asDouble() * 100) : "-",
            f.path("unmatchedShadow").asInt(), f.path("unmatchedEhr").asInt());
        List<String> fields = new ArrayList<>();
        f.path("differingFields").properties().forEach(e -> fields.add(e.getKey() + " " + e.getValue().asInt()));
        if (!fields.isEmpty()) {
          fieldLines.add(r.path("tenant").asString("") + " " + f.path("flow").asString("") + " differs in: "
              + String.join(", ", fields));
        }
      }
    }
    if (!any) {
      out.println("(nothing kept in shadow and nothing from the EHR to compare in this period)");
    }
    fieldLines.forEach(out::println);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
