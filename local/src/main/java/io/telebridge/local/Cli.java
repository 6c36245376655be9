package io.telebridge.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack's command line (what {@code ./tb} runs): {@code start}, {@code send},
 * {@code sign} and {@code peek}. A development tool for synthetic data only.
 */
public final class Cli {

  public static final String DEFAULT_API_URL = "http://127.0.0.1:3000/v1/events";
  public static final String DEFAULT_SQS_ENDPOINT = "http://127.0.0.1:9324";
  public static final String DEFAULT_TENANT = "demo-clinic";
  public static final String DEFAULT_STACK = "telebridge-dev";

  static final String USAGE = """
      Usage: telebridge-local <command> [options]

        start [options]                     start the local stack (start --help for options)
        send <file> [--url URL] [--secret S]
                                            sign the file's exact bytes with the timestamp now and POST
                                            them (application/json); prints status and body; exit 0 on 2xx
        sign <file> [--secret S]            print the two signature headers (for curl)
        peek <LogicalIdOrQueueName> [--max N] [--endpoint URL]
                                            show messages waiting on a local queue without consuming them
        jwks [--data-dir DIR]               print the public JWKS of the local SMART client key (made on first
                                            use in <data>/fhir/smart-client-key.json), to register with an EHR
        mllp-send <file> [--host H] [--port P] [--timeout S]
                                            send an HL7 v2 file to the bridge's MLLP listener (LF / CRLF
                                            segment ends become CR) and print the ACK; exit 0 on AA/CA
        redrive <DeadLetterQueue> [--to Queue] [--max N] [--endpoint URL | --aws]
                                            move messages from a DLQ back to its source queue:
                                            receive -> send (same group, a new stable dedup id) -> delete,
                                            in order; --aws: the real account (default credentials and
                                            region; queues by name or URL, e.g. from the stack outputs)
        review list [--tenant T]|show <caseId> [--demographics]|link <caseId> <personId>|new <caseId>
               [--url URL] [--aws [--stack NAME]]
                                            the review API (possible patient matches), signed with SigV4:
                                            list open cases (a table), show one (JSON; --demographics adds
                                            the patient data - PHI, logged as an access), resolve one by
                                            linking it to a candidate person or registering a new patient.
                                            Locally with the local stack's credentials; --aws: the deployed
                                            ReviewApiUrl (from stack NAME's outputs, default telebridge-dev,
                                            or --url) with the default credentials
        trace <eventId|MSH-10|appointmentId|platformPatientId> [--tenant T] [--json] [--url URL] [--aws [--stack NAME]]
                                            "where is this booking?": every journaled step (intake, translator,
                                            MLLP sent + ACK, listener, delivery) and where it waits now (queue,
                                            DLQ, review, retry at T); signed like review
        replay <MSH-10|eventId> [--tenant T] [--url URL] [--aws [--stack NAME]]
                                            re-send one archived HL7 message to the to-EHR queue (the EHR gets it
                                            again) or one event to the intake queue; journaled with who asked
        console [--aws [--stack NAME] [--url URL] [--port N]]
                                            the ops console: locally prints its URL on the local stack; --aws
                                            serves the deployed one on http://127.0.0.1:N/console (default 8443,
                                            loopback only), each request signed with your AWS credentials
        flows [set <tenant> <flow> on|off|shadow] [--tenant T] [--json] [--url URL] [--aws [--stack NAME]]
                                            list every flow's switch per tenant, or switch one (registration,
                                            scheduling, schedule-changes, results, demographics, context, note,
                                            orders, charges); signed like review
        shadow-report --since <ISO|duration> [--until ISO] [--tenant T] [--json] [--url URL] [--aws [--stack NAME]]
                                            per flow in shadow: what telebridge held back vs what the EHR sent
                                            (pairs, agreement, differing field names; no values)

        context <tenant> <patientId> [--appointment A] [--url URL] [--secret S] [--aws [--stack NAME]]
                                            the patient's clinical context (POST /v1/context-requests, signed
                                            like send): prints the document JSON; exit 3 on 202 (the EHR was
                                            slow: it arrives as the patient.context.ready webhook)

      Defaults: --url $TELEBRIDGE_API_URL or %s,
                --host $TELEBRIDGE_MLLP_HOST or 127.0.0.1, --port $TELEBRIDGE_MLLP_PORT or 2578,
                --secret $TELEBRIDGE_WEBHOOK_SECRET or the development secret,
                --endpoint $TELEBRIDGE_SQS_ENDPOINT or %s,
                --tenant (review list) one of the caller's tenants (default: all of them),
                --stack $TELEBRIDGE_STACK or %s (review --aws).
      Local development with synthetic data only: peek prints message bodies.
      """.formatted(DEFAULT_API_URL, DEFAULT_SQS_ENDPOINT, DEFAULT_STACK);

  private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private Cli() {}

  /**
   * {@code start} (or {@code local}, or no command at all, or options only such as
   * {@code --root DIR}) starts the local stack; anything else is a one-shot command.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help")) {
      LocalStackMain.main(args);
      return;
    }
    if (args[0].equals("start") || args[0].equals("local")) {
      LocalStackMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command (not {@code start}); returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
      out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    try {
      return switch (args[0]) {
        case "send" -> SendCommand.send(rest, out, err);
        case "sign" -> SendCommand.sign(rest, out, err);
        case "peek" -> QueueCommand.peek(rest, out, err);
        case "redrive" -> QueueCommand.redrive(rest, out, err);
        case "review" -> ReviewCommand.run(rest, out, err);
        case "trace", "replay" -> TraceCommand.run(args[0], rest, out, err);
        case "console" -> ConsoleCommand.run(rest, out, err);
        case "flows", "shadow-report" -> FlowsCommand.run(args[0], rest, out, err);
        case "mllp-send" -> MllpSendCommand.mllpSend(rest, out, err);
        case "context" -> ContextCommand.run(rest, out, err);
        case "jwks" -> JwksCommand.jwks(rest, out, err);
        default -> {
          err.println("unknown command " + args[0]);
          err.print(USAGE);
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
  }

  // ------------------------------------------------------------------ arguments
  static String prettyIfJson(String text) {
    try {
      JsonNode node = PRETTY.readTree(text);
      if (node != null && (node.isObject() || node.isArray())) {
        return PRETTY.writeValueAsString(node);
      }
    } catch (JacksonException e) {
      // not JSON: as is
    }
    return text;
  }


  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Removes {@code name value} from the arguments and returns the value, or {@code fallback}. */
  public static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String value = args.get(i + 1);
    args.remove(i + 1);
    args.remove(i);
    return value;
  }

  static String single(List<String> args, String usage) {
    for (String a : args) {
      if (a.startsWith("--")) {
        throw new IllegalArgumentException("unknown option " + a + "; usage: " + usage);
      }
    }
    if (args.size() != 1) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    return args.get(0);
  }

  static String env(String name, String fallback) {
    return io.telebridge.local.DevEnvironment.get(name, fallback);
  }
}
