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
 * {@code ./tb trace <id>} ("where is this booking?") and {@code ./tb replay <MSH-10|eventId>}: the ops
 * routes of the review API's HTTP API, signed with SigV4 like {@code ./tb review} (locally with the
 * local stack's credentials; {@code --aws} against the deployed stack). The replay is recorded in the
 * journal with the caller's verified identity.
 */
final class TraceCommand {

  static final String TRACE_USAGE = "trace <eventId|MSH-10|appointmentId|platformPatientId> [--tenant T] [--json]"
      + " [--url URL] [--aws [--stack NAME]]";
  static final String REPLAY_USAGE = "replay <MSH-10|eventId> [--tenant T] [--url URL] [--aws [--stack NAME]]";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TraceCommand() {}

  static int run(String command, List<String> args, PrintStream out, PrintStream err) {
    boolean replay = command.equals("replay");
    String usage = replay ? REPLAY_USAGE : TRACE_USAGE;
    String tenant = Cli.option(args, "--tenant", DevEnvironment.get("TELEBRIDGE_TENANT", null));
    String url = Cli.option(args, "--url", null);
    String stackName = Cli.option(args, "--stack", Cli.env("TELEBRIDGE_STACK", Cli.DEFAULT_STACK));
    boolean aws = args.remove("--aws");
    boolean json = args.remove("--json");
    if (args.size() != 1 || args.get(0).startsWith("--")) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    String id = args.get(0);
    ReviewCommand.Connection connected;
    try {
      connected = ReviewCommand.connect(aws, url, stackName);
    } catch (SdkException e) {
      err.println(command + " --aws: " + e.getMessage());
      return 1;
    }
    ReviewCommand.Connection connection = connected;
    return CliHttp.call(connection.where(), command + " at " + connection.where(), !aws, err, () -> {
      HttpResponse<String> response;
      if (replay) {
        String body = "{\"id\":" + JSON.writeValueAsString(id)
            + (tenant == null || tenant.isEmpty() ? "" : ",\"tenant\":" + JSON.writeValueAsString(tenant)) + "}";
        response = connection.client().send("POST", "/v1/replays", body);
      } else {
        response = connection.client().send("GET", "/v1/traces/" + enc(id)
            + (tenant == null || tenant.isEmpty() ? "" : "?tenant=" + enc(tenant)), null);
      }
      if (response.statusCode() / 100 != 2) {
        err.println("HTTP " + response.statusCode());
        if (!response.body().isEmpty()) {
          err.println(Cli.prettyIfJson(response.body()));
        }
        return 1;
      }
      if (replay || json) {
        out.println(Cli.prettyIfJson(response.body()));
      } else {
        printTrace(JSON.readTree(response.body()), out);
      }
      return 0;
    });
  }

  /** The steps as a table (time, stage, what, outcome, details), then where each branch waits now. */
  static void printTrace(JsonNode t, PrintStream out) {
    out.printf(Locale.ROOT, "trace of %s (tenant %s)%n", t.path("query").asString(""), t.path("tenant").asString(""));
    String format = "%-24s  %-19s  %-34s  %-13s  %s%n";
    out.printf(Locale.ROOT, format, "AT", "STAGE", "SUBJECT", "OUTCOME", "DETAILS");
    for (JsonNode s : t.path("steps")) {
      List<String> details = new ArrayList<>();
      for (String f : List.of("type", "attempt", "errorClass", "errorCode", "waitsAt", "by")) {
        if (s.has(f)) {
          details.add(f + "=" + s.path(f).asString(""));
        }
      }
      if (s.has("links")) {
        List<String> links = new ArrayList<>();
        s.path("links").forEach(l -> links.add(l.asString()));
        details.add("-> " + String.join(", ", links));
      }
      out.printf(Locale.ROOT, format, s.path("at").asString(""), s.path("stage").asString(""),
          s.path("subject").asString(""), s.path("outcome").asString(""), String.join("  ", details));
    }
    JsonNode waiting = t.path("waiting");
    if (waiting.isEmpty()) {
      out.println("now: nothing waits - every branch is done");
    }
    for (JsonNode w : waiting) {
      out.printf(Locale.ROOT, "now: %s waits at %s%n", w.path("subject").asString(""), w.path("where").asString(""));
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
