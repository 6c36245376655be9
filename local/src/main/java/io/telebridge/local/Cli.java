package io.telebridge.local;

import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.aws.SqsQueues;
import io.telebridge.local.aws.AwsClients;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.core.exception.SdkClientException;
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

  /** {@code jwks [--data-dir DIR]}: the development SMART client key's public JWKS (the key is made if absent). */
  static int jwks(List<String> args, PrintStream out, PrintStream err) {
    Path dataDir = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--data-dir") && i + 1 < args.size()) {
        dataDir = Path.of(args.get(++i));
      } else if (args.get(i).equals("--root") && i + 1 < args.size()) {
        dataDir = Path.of(args.get(++i)).resolve(".local-data");
      } else {
        throw new IllegalArgumentException("usage: jwks [--data-dir DIR | --root DIR]");
      }
    }
    if (dataDir == null) {
      Path template = RepoRoot.template().orElseThrow(() -> new IllegalArgumentException(
          "no template.yaml here or above; run from the repository or pass --data-dir"));
      dataDir = template.toAbsolutePath().getParent().resolve(".local-data");
    }
    try {
      var key = io.telebridge.local.fhir.DevSmartKey.loadOrCreate(dataDir);
      out.println(io.telebridge.local.fhir.DevSmartKey.publicJwks(key));
      err.println("client " + io.telebridge.local.fhir.LocalFhir.CLIENT_ID + ", kid " + key.getKeyID() + ", RS384; key in "
          + io.telebridge.local.fhir.DevSmartKey.file(dataDir) + " (development only)");
      return 0;
    } catch (java.io.IOException e) {
      err.println(e.getMessage());
      return 1;
    }
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
        case "send" -> send(rest, out, err);
        case "sign" -> sign(rest, out, err);
        case "peek" -> peek(rest, out, err);
        case "redrive" -> redrive(rest, out, err);
        case "review" -> ReviewCommand.run(rest, out, err);
        case "trace", "replay" -> TraceCommand.run(args[0], rest, out, err);
        case "console" -> ConsoleCommand.run(rest, out, err);
        case "flows", "shadow-report" -> FlowsCommand.run(args[0], rest, out, err);
        case "mllp-send" -> mllpSend(rest, out, err);
        case "context" -> ContextCommand.run(rest, out, err);
        case "jwks" -> jwks(rest, out, err);
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

  // ------------------------------------------------------------------ send / sign

  static int send(List<String> args, PrintStream out, PrintStream err) {
    String url = option(args, "--url", env("TELEBRIDGE_API_URL", DEFAULT_API_URL));
    String secret = option(args, "--secret", env("TELEBRIDGE_WEBHOOK_SECRET", LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET));
    Path file = Path.of(single(args, "send <file>"));
    byte[] body = read(file);
    long timestamp = Instant.now().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      out.println("POST " + url + " (" + body.length + " bytes, " + file.getFileName() + ")");
      out.println("HTTP " + response.statusCode());
      response.headers().firstValue("content-type").ifPresent(ct -> out.println("Content-Type: " + ct));
      if (!response.body().isEmpty()) {
        out.println(prettyIfJson(response.body()));
      }
      return response.statusCode() / 100 == 2 ? 0 : 1;
    } catch (ConnectException e) {
      err.println("nothing answers at " + url + ": is the local stack running? (./tb local)");
      return 1;
    } catch (IOException e) {
      err.println("POST " + url + " failed: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static int sign(List<String> args, PrintStream out, PrintStream err) {
    String secret = option(args, "--secret", env("TELEBRIDGE_WEBHOOK_SECRET", LocalStackOptions.DEFAULT_DEV_SIGNING_SECRET));
    Path file = Path.of(single(args, "sign <file>"));
    byte[] body = read(file);
    long timestamp = Instant.now().getEpochSecond();
    String signature = WebhookSignature.sign(secret, timestamp, body);
    out.println(WebhookSignature.TIMESTAMP_HEADER + ": " + timestamp);
    out.println(WebhookSignature.SIGNATURE_HEADER + ": " + signature);
    err.println("valid for 5 minutes, e.g.: curl -sS -X POST " + env("TELEBRIDGE_API_URL", DEFAULT_API_URL)
        + " -H 'Content-Type: application/json' -H '" + WebhookSignature.TIMESTAMP_HEADER + ": " + timestamp
        + "' -H '" + WebhookSignature.SIGNATURE_HEADER + ": " + signature + "' --data-binary @" + file);
    return 0;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ mllp-send

  static int mllpSend(List<String> args, PrintStream out, PrintStream err) {
    String host = option(args, "--host", env("TELEBRIDGE_MLLP_HOST", "127.0.0.1"));
    int port = Integer.parseInt(option(args, "--port",
        env("TELEBRIDGE_MLLP_PORT", Integer.toString(LocalStackOptions.DEFAULT_MLLP_LISTEN_PORT))));
    int timeoutSeconds = Integer.parseInt(option(args, "--timeout", "30"));
    Path file = Path.of(single(args, "mllp-send <file> [--host H] [--port P] [--timeout S]"));
    byte[] payload = hl7Segments(read(file));
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(timeoutSeconds * 1000);
      socket.setTcpNoDelay(true);
      io.telebridge.mllp.frame.MllpFrames.write(socket.getOutputStream(), payload);
      out.println("MLLP -> " + host + ":" + port + " (" + payload.length + " bytes, " + file.getFileName() + ")");
      byte[] ack = new io.telebridge.mllp.frame.MllpReader(socket.getInputStream(), 1 << 20).readFrame();
      if (ack == null) {
        out.println("no ACK: the listener closed the connection without answering (it could not persist the message;"
            + " the sender resends)");
        return 1;
      }
      String text;
      try {
        text = io.telebridge.hl7v2.Hl7Text.decode(ack, StandardCharsets.UTF_8);
      } catch (io.telebridge.hl7v2.UnreadableMessageException e) {
        out.println("(the ACK's bytes are not valid in the charset its MSH-18 names: shown as Latin-1)");
        text = new String(ack, StandardCharsets.ISO_8859_1);
      }
      out.println("ACK <-");
      out.println(text.replace("\r\n", "\n").replace('\r', '\n').stripTrailing());
      String code = io.telebridge.mllp.hl7.RawHl7.looksLikeHl7(text)
          ? io.telebridge.mllp.hl7.RawHl7.of(text).field("MSA", 1).trim() : "";
      return code.equals("AA") || code.equals("CA") ? 0 : 1;
    } catch (ConnectException e) {
      err.println("nothing listens on " + host + ":" + port + ": is the local stack running (./tb local)? "
          + "Its MLLP listener is on port " + LocalStackOptions.DEFAULT_MLLP_LISTEN_PORT + " unless --mllp-port said otherwise");
      return 1;
    } catch (java.net.SocketTimeoutException e) {
      err.println("no ACK within " + timeoutSeconds + " s");
      return 1;
    } catch (IOException e) {
      err.println("MLLP exchange with " + host + ":" + port + " failed: " + e);
      return 1;
    }
  }

  /**
   * The file as an HL7 v2 message for the wire: a UTF-8 byte-order mark and leading blank lines
   * dropped, LF and CRLF segment ends turned into CR, trailing blank lines collapsed into one CR.
   * Other bytes are sent as they are (the file's own encoding; MSH-18 says which).
   */
  static byte[] hl7Segments(byte[] file) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(file.length);
    int i = 0;
    if (file.length >= 3 && (file[0] & 0xff) == 0xEF && (file[1] & 0xff) == 0xBB && (file[2] & 0xff) == 0xBF) {
      i = 3;
    }
    while (i < file.length && (file[i] == '\r' || file[i] == '\n')) {
      i++;
    }
    for (; i < file.length; i++) {
      byte c = file[i];
      if (c == '\r' && i + 1 < file.length && file[i + 1] == '\n') {
        continue; // CRLF: the LF writes the CR
      }
      b.write(c == '\n' ? '\r' : c);
    }
    byte[] out = b.toByteArray();
    int end = out.length;
    while (end > 0 && (out[end - 1] == '\r' || out[end - 1] == ' ' || out[end - 1] == '\t')) {
      end--;
    }
    byte[] trimmed = java.util.Arrays.copyOf(out, end + 1);
    trimmed[end] = '\r';
    return trimmed;
  }

  // ------------------------------------------------------------------ peek

  static int peek(List<String> args, PrintStream out, PrintStream err) {
    String endpoint = option(args, "--endpoint", env("TELEBRIDGE_SQS_ENDPOINT", DEFAULT_SQS_ENDPOINT));
    int max = Integer.parseInt(option(args, "--max", "10"));
    String queue = single(args, "peek <LogicalIdOrQueueName>");
    try (SqsClient sqs = AwsClients.sqs(URI.create(endpoint))) {
      String url = findQueue(sqs, queue);
      if (url == null) {
        err.println("no queue '" + queue + "' at " + endpoint + "; queues there: " + queueNames(sqs));
        return 1;
      }
      Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
      List<Message> seen = peekMessages(sqs, url, max);
      String name = url.substring(url.lastIndexOf('/') + 1);
      out.println("Queue " + name + "  (" + url + ")");
      out.println("  visible " + attributes.get("ApproximateNumberOfMessages")
          + ", in flight " + attributes.get("ApproximateNumberOfMessagesNotVisible")
          + ", delayed " + attributes.get("ApproximateNumberOfMessagesDelayed")
          + "; showing " + seen.size() + " (local synthetic data only)");
      out.println("  note: a peek is a receive: it adds 1 to each shown message's ApproximateReceiveCount");
      int n = 0;
      for (Message m : seen) {
        out.println();
        out.println("--- message " + (++n));
        out.println("MessageId:               " + m.messageId());
        Map<String, String> a = new TreeMap<>(m.attributesAsStrings());
        printIf(out, "MessageGroupId:          ", a.remove("MessageGroupId"));
        printIf(out, "MessageDeduplicationId:  ", a.remove("MessageDeduplicationId"));
        printIf(out, "SequenceNumber:          ", a.remove("SequenceNumber"));
        String sent = a.remove("SentTimestamp");
        if (sent != null) {
          out.println("SentTimestamp:           " + sent + " (" + Instant.ofEpochMilli(Long.parseLong(sent)) + ")");
        }
        printIf(out, "ApproximateReceiveCount: ", a.remove("ApproximateReceiveCount"));
        if (!a.isEmpty()) {
          out.println("Attributes:              " + a);
        }
        for (Map.Entry<String, MessageAttributeValue> e : new TreeMap<>(m.messageAttributes()).entrySet()) {
          MessageAttributeValue v = e.getValue();
          String value = v.stringValue() != null ? v.stringValue()
              : v.binaryValue() != null ? "(" + v.binaryValue().asByteArray().length + " bytes)" : "";
          out.println("MessageAttribute:        " + e.getKey() + " (" + v.dataType() + ") = " + value);
        }
        out.println("Body:");
        // HL7 v2 separates segments with CR alone, which a terminal would print over one line
        out.println(prettyIfJson(m.body()).replace("\r\n", "\n").replace('\r', '\n'));
      }
      return 0;
    } catch (SdkClientException e) {
      err.println("nothing answers at " + endpoint + ": is the local stack running? (./tb local)");
      return 1;
    }
  }

  /** A peek through the one way to look at a queue ({@link SqsQueues#peek}). */
  static List<Message> peekMessages(SqsClient sqs, String url, int max) {
    return new SqsQueues(sqs).peek(url, max);
  }

  // ------------------------------------------------------------------ redrive

  static int redrive(List<String> args, PrintStream out, PrintStream err) {
    String endpoint = option(args, "--endpoint", env("TELEBRIDGE_SQS_ENDPOINT", DEFAULT_SQS_ENDPOINT));
    String to = option(args, "--to", null);
    int max = Integer.parseInt(option(args, "--max", Integer.toString(Integer.MAX_VALUE)));
    boolean aws = args.remove("--aws");
    String dlq = single(args, "redrive <DeadLetterQueue> [--to Queue] [--aws]");
    if (aws) {
      endpoint = "AWS (default credentials and region)";
    }
    try (SqsClient sqs = aws ? awsSqs() : AwsClients.sqs(URI.create(endpoint))) {
      String dlqUrl = findQueue(sqs, dlq);
      if (dlqUrl == null) {
        err.println("no queue '" + dlq + "' at " + endpoint + "; queues there: " + queueNames(sqs));
        return 1;
      }
      String targetUrl;
      if (to != null) {
        targetUrl = findQueue(sqs, to);
        if (targetUrl == null) {
          err.println("no queue '" + to + "' at " + endpoint);
          return 1;
        }
      } else {
        List<String> sources = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlqUrl)).queueUrls();
        if (sources.size() != 1) {
          err.println(dlq + " is the dead-letter queue of " + sources.size() + " queue(s) " + sources
              + "; say which with --to");
          return 1;
        }
        targetUrl = sources.get(0);
      }
      boolean fifo = targetUrl.endsWith(".fifo");
      List<SqsQueues.Moved> redriven = new SqsQueues(sqs).redrive(dlqUrl, targetUrl, id -> true, max);
      for (SqsQueues.Moved m : redriven) {
        out.println("moved " + m.deadLetterMessageId() + " -> " + m.newMessageId()
            + (fifo ? " (group " + m.groupId() + ")" : ""));
      }
      int moved = redriven.size();
      out.println(moved + " message(s) moved from " + dlqUrl.substring(dlqUrl.lastIndexOf('/') + 1) + " to "
          + targetUrl.substring(targetUrl.lastIndexOf('/') + 1));
      return 0;
    } catch (SdkClientException e) {
      err.println("nothing answers at " + endpoint + ": is the local stack running? (./tb local)");
      return 1;
    }
  }

  static String redriveDeduplicationId(String originalDeduplicationId, String deadLetterMessageId) {
    return SqsQueues.deduplicationId(originalDeduplicationId, deadLetterMessageId);
  }

  /** A client for the real AWS account: the SDK's default credentials and region (AWS_PROFILE, AWS_REGION...). */
  static SqsClient awsSqs() {
    return SqsClient.builder()
        .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }

  /**
   * The queue's URL by name, name + ".fifo", a case-insensitive match of the local queue names, the
   * one name ending in "-<key>", or the template logical id the local stack tagged it with.
   */
  public static String findQueue(SqsClient sqs, String key) {
    if (key.startsWith("https://") || key.startsWith("http://")) {
      return key;
    }
    for (String candidate : List.of(key, key + ".fifo")) {
      try {
        return sqs.getQueueUrl(b -> b.queueName(candidate)).queueUrl();
      } catch (QueueDoesNotExistException e) {
        // next
      }
    }
    List<String> urls = sqs.listQueues().queueUrls();
    List<String> suffixMatches = new java.util.ArrayList<>();
    for (String url : urls) {
      String name = url.substring(url.lastIndexOf('/') + 1);
      if (name.equalsIgnoreCase(key) || name.equalsIgnoreCase(key + ".fifo")) {
        return url;
      }
      // named queues ("<stack>-to-platform-dlq.fifo"): the part after the stack name is enough
      String bare = name.endsWith(".fifo") ? name.substring(0, name.length() - 5) : name;
      if (bare.toLowerCase(java.util.Locale.ROOT).endsWith("-" + key.toLowerCase(java.util.Locale.ROOT))) {
        suffixMatches.add(url);
      }
    }
    if (suffixMatches.size() == 1) {
      return suffixMatches.getFirst();
    }
    for (String url : urls) { // a template logical id (queues with an explicit QueueName, e.g. FromEhrQueue)
      try {
        String logicalId = sqs.listQueueTags(b -> b.queueUrl(url)).tags()
            .get(io.telebridge.local.aws.SqsQueueProvisioner.LOGICAL_ID_TAG);
        if (key.equalsIgnoreCase(logicalId)) {
          return url;
        }
      } catch (software.amazon.awssdk.services.sqs.model.SqsException e) {
        // no tags: next
      }
    }
    return null;
  }

  private static List<String> queueNames(SqsClient sqs) {
    return sqs.listQueues().queueUrls().stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).toList();
  }

  private static void printIf(PrintStream out, String label, String value) {
    if (value != null) {
      out.println(label + value);
    }
  }

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

  // ------------------------------------------------------------------ arguments

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
