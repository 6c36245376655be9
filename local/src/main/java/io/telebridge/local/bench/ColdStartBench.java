package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.RepoRoot;
import io.telebridge.local.http.ApiGatewayEvents;
import io.telebridge.local.http.ApiRequest;
import io.telebridge.local.http.ApiRoute;
import io.telebridge.local.lambda.FunctionSpec;
import io.telebridge.local.lambda.LocalFunction;
import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.TemplateResource;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import io.telebridge.matching.mpi.MatcherWiring;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Sex;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import io.telebridge.core.fromehr.FromEhrMessage;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.hl7v2.FromEhrReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cold start: "fresh JVM to first response" of a real function handler beside a bare handler,
 * alternating, in one run. For every run and JVM flag variant, spawns
 * {@code java -cp <function jar>:<probe jar> ColdStartProbe <handler> <event> api|sqs} with the
 * environment the local stack resolves for the function, and measures process start to the
 * probe's output line.
 *
 * <ul>
 *   <li>An API function (IntakeFunction): the event is the API Gateway v2 event the local API
 *       would build for a freshly signed booking, so the intake's first answer is a real 202
 *       through ElasticMQ and moto. The baseline is {@link BareHandler}.</li>
 *   <li>An SQS-triggered function (ToEhrTranslatorFunction): its event sources are disabled in
 *       the stack; for every spawn a freshly signed booking (a new patient) is POSTed to the
 *       stack's API (202), received from the function's source queue and wrapped in the
 *       {@code SQSEvent} JSON the local poller (and Lambda) would build. The probe reports the
 *       {@code batchItemFailures}; this class then deletes the source message (as the poller
 *       does on success) and takes what the handler put on the to-EHR queue (its
 *       {@code TO_EHR_QUEUE_URL}): ADT^A04 + SIU^S12 for the function, nothing for
 *       {@link BareSqsHandler}, the baseline.</li>
 * </ul>
 *
 * <pre>
 *   ./tb bench coldstart [--runs 5] [--discard 1] [--variants default,c1] [--function IntakeFunction|ToEhrTranslatorFunction]
 * </pre>
 *
 * Variant {@code default}: no JVM options. {@code c1}: JAVA_TOOL_OPTIONS as template.yaml's
 * Globals set it ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}), passed the way
 * Lambda passes it (the environment variable). Prints figures; asserts nothing about time.
 */
public final class ColdStartBench {

  static final String USAGE = """
      Usage: ./tb bench coldstart [--runs 5] [--discard 1] [--variants default,c1] [--function IntakeFunction]
                                  [--event FILE] [--with-joda] [--hl7 FILE] [--template FILE]
        --discard N   untimed spawns of each kind first (file cache, CDS archive), not reported
        --variants    default = no JVM options; c1 = JAVA_TOOL_OPTIONS from template.yaml Globals
        --function    IntakeFunction (API, first answer 202) or an SQS-triggered function such as
                      ToEhrTranslatorFunction (an accepted booking from its queue; no batch failures)
        --hl7 FILE    for a function fed by the from-EHR queue (FromEhrTranslatorFunction: its environment has
                      TO_PLATFORM_QUEUE_URL): the HL7 message put on its queue for each spawn, with a fresh
                      MSH-10 (default tests/fixtures/hl7v2/inbound/oru-r01.v251.epic-like.hl7, its MRN linked
                      to a platform patient first, so every spawn yields one ehr.result.available)
        --template F  another template (default template.yaml; CodeUri paths are relative to its folder)
        --with-joda   append joda-time (the version aws-lambda-java-events depends on) to the probe's
                      classpath: the Lambda runtime's SQSEvent deserialiser loads org.joda.time.DateTime
                      from the function's classpath, and a function jar built without joda-time fails
                      there before its handler runs
      """;

  static final String C1_FALLBACK = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

  private ColdStartBench() {}

  record Sample(String variant, String handler, int run, double wallMs, double uptimeMs, double mainAtMs,
      double initMs, double readMs, double invokeMs, double deserMs, double handleMs, int status, int failures,
      int records, String result, boolean ok) {

    Sample checked(String newResult, boolean newOk) {
      return new Sample(variant, handler, run, wallMs, uptimeMs, mainAtMs, initMs, readMs, invokeMs, deserMs,
          handleMs, status, failures, records, newResult, newOk);
    }
  }

  /** How the function is triggered: through the API, or by an SQS queue (with the queue's URL and ARN). */
  record Trigger(ApiRoute route, String queueUrl, String queueArn) {
    boolean sqs() {
      return route == null;
    }
  }

  public static void main(String[] argv) throws Exception {
    try {
      run(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (IllegalStateException e) {
      System.out.flush();
      System.err.println("coldstart: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    if (args.flag("--help") || args.flag("-h")) {
      System.out.print(USAGE);
      return;
    }
    int runs = args.intOption("--runs", 5);
    int discard = args.intOption("--discard", 1);
    List<String> variants = List.of(args.option("--variants", "default,c1").split(","));
    String functionId = args.option("--function", "IntakeFunction");
    boolean withJoda = args.flag("--with-joda");
    Path eventFile = Path.of(args.option("--event", BenchEvents.defaultFile().toString()));
    String hl7Option = args.option("--hl7", null);
    String templateOption = args.option("--template", null);
    args.done(USAGE);
    for (String v : variants) {
      if (!v.equals("default") && !v.equals("c1")) {
        throw new IllegalArgumentException("unknown variant " + v + " (default, c1)");
      }
    }

    Path repo = BenchArgs.repoRoot();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path work = Files.createTempDirectory("telebridge-coldstart-");
    BenchEvents events = new BenchEvents(eventFile, 5);

    boolean allAccepted = true;
    // the function's own SQS triggers off (a no-op for an API function): its queue is read here
    Path templateFile = templateOption == null ? repo.resolve(RepoRoot.TEMPLATE) : Path.of(templateOption).toAbsolutePath();
    try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(templateFile)
            // and the platform delivery's: the events a from-EHR function queues are counted here
            .disableEventSources(functionId, "PlatformDeliveryFunction"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      LocalFunction function = stack.function(functionId);
      FunctionSpec spec = function.spec();
      if (spec.codeJar() == null || !Files.isRegularFile(spec.codeJar())) {
        throw new IllegalStateException(functionId + ": no deployable jar at " + spec.codeJar() + " (mvn package first)");
      }
      Trigger trigger = trigger(stack, functionId);
      Map<String, String> functionEnv = new LinkedHashMap<>(stack.functionEnvironment(functionId));
      String c1Options = functionEnv.remove("JAVA_TOOL_OPTIONS");
      if (c1Options == null) {
        c1Options = C1_FALLBACK;
      }
      Path probeJar = buildProbeJar(work.resolve("probe.jar"));
      String classpath = spec.codeJar() + File.pathSeparator + probeJar;
      if (withJoda) {
        classpath += File.pathSeparator + buildJodaJar(work.resolve("joda-time.jar"));
      }
      String label = label(functionId);
      Map<String, String> handlers = new LinkedHashMap<>();
      handlers.put("bare", (trigger.sqs() ? BareSqsHandler.class : BareHandler.class).getName());
      handlers.put(label, spec.handlerClassName());
      String toEhrQueue = trigger.sqs() ? functionEnv.get("TO_EHR_QUEUE_URL") : null;
      String toPlatformQueue = trigger.sqs() ? functionEnv.get("TO_PLATFORM_QUEUE_URL") : null;
      String hl7 = null;
      if (toPlatformQueue != null) {
        Path hl7File = hl7Option != null ? Path.of(hl7Option)
            : repo.resolve("tests/fixtures/hl7v2/inbound/oru-r01.v251.epic-like.hl7");
        hl7 = io.telebridge.hl7v2.Hl7Text.normalize(io.telebridge.hl7v2.Hl7Text.decode(Files.readAllBytes(hl7File),
            StandardCharsets.UTF_8));
        FromEhrMessage parsed = new FromEhrReader("TELEHEALTH", ZoneOffset.UTC).read(hl7);
        // a platform patient registered as the to-EHR path does, then the message's MRN linked to it (an EHR
        // registration echoing its id), so the function has someone to deliver to
        String table = functionEnv.get("IDENTITY_TABLE");
        String tenant = functionEnv.get("TENANT") != null ? functionEnv.get("TENANT")
            : io.telebridge.local.Cli.DEFAULT_TENANT; // TENANTS on the local stack: {"demo-clinic": {}}
        DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.dynamoDb(), table);
        new MatchingPatientResolver(store, store.candidateIndex(), MatcherWiring.DEFAULT_PLATFORM_AUTHORITY,
            Clock.systemUTC()).resolve(new ResolveRequest(tenant, new PatientDemographics("bench-pat-0",
                new PersonName(List.of("Bench"), "Coldstart", null, null), LocalDate.of(1980, 1, 1),
                Sex.UNKNOWN, List.of(), null, null, null), "bench-register-0", "{}", null));
        List<String> linked = MatcherWiring.ehrPatientIndex(store, store.candidateIndex()).upsert(tenant,
            new EhrPatient(List.of(parsed.patient().mrn()), new PatientDemographics("bench-pat-0", null, null, null,
                List.of(), null, null, null)));
        if (linked.isEmpty()) {
          throw new IllegalStateException("could not link the message's MRN to a platform patient");
        }
      }

      System.out.printf(Locale.ROOT, "machine  %d cpu(s), %s %s (%s)%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), java);
      System.out.printf(Locale.ROOT, "probe    java -cp %s %s <handler> <event.json> %s%n", classpath,
          ColdStartProbe.class.getName(), trigger.sqs() ? "sqs" : "api");
      System.out.printf(Locale.ROOT, "handlers bare = %s, %s = %s (%s's environment from the in-process local stack)%n",
          handlers.get("bare"), label, handlers.get(label), functionId);
      if (trigger.sqs() && hl7 != null) {
        System.out.printf(Locale.ROOT, "event    SQSEvent of 1 record: the HL7 message (fresh MSH-10 per spawn) sent to %s%n",
            trigger.queueUrl());
      } else if (trigger.sqs()) {
        System.out.printf(Locale.ROOT, "event    SQSEvent of 1 record: a signed booking (new patient) accepted by %s (202),"
            + " received from %s%n", stack.apiUrl("/v1/events"), trigger.queueUrl());
      }
      System.out.printf(Locale.ROOT, "variants default = no JVM options; c1 = JAVA_TOOL_OPTIONS=\"%s\"%n", c1Options);
      System.out.printf(Locale.ROOT, "runs     %d timed (+%d discarded) per handler and variant, alternating%n%n", runs, discard);
      System.out.printf(Locale.ROOT, "%-8s %-10s %4s %9s %10s %9s %8s %9s %9s %10s %7s%n",
          "variant", "handler", "run", "wall ms", "uptime ms", "main@ ms", "init ms", "invoke ms", "(deser", "handle)",
          trigger.sqs() ? "result" : "status");

      List<Sample> samples = new ArrayList<>();
      int eventNumber = 0;
      for (int run = 1 - discard; run <= runs; run++) {
        for (String variant : variants) {
          List<String> order = new ArrayList<>(handlers.keySet());
          if (Math.floorMod(run, 2) == 0) {
            order = order.reversed();
          }
          for (String name : order) {
            Map<String, String> env = new LinkedHashMap<>(functionEnv);
            if (variant.equals("c1")) {
              env.put("JAVA_TOOL_OPTIONS", c1Options);
            }
            Path event = work.resolve("event-" + eventNumber + ".json");
            int n = eventNumber++;
            Sample s;
            if (trigger.sqs() && hl7 != null) {
              String controlId = "CS" + Long.toString(work.hashCode() & 0xffffL, 36) + "-" + n;
              Message accepted = sendHl7AndReceive(stack, trigger, hl7, controlId);
              Files.write(event, sqsEvent(List.of(accepted), trigger.queueArn()));
              s = spawn(java, classpath, handlers.get(name), event, "sqs", env, variant, name, run);
              stack.sqs().deleteMessage(b -> b.queueUrl(trigger.queueUrl()).receiptHandle(accepted.receiptHandle()));
              List<String> types = takePlatform(stack, toPlatformQueue, name.equals("bare") ? 0 : 1);
              boolean expected = name.equals("bare") ? types.isEmpty() : !types.isEmpty();
              s = s.checked(s.failures() + "/" + types.size(), s.failures() == 0 && s.records() == 1 && expected);
              if (!name.equals("bare") && run == 1 - discard && variant.equals(variants.get(0))) {
                System.out.printf(Locale.ROOT, "         (to-platform queue after the first %s probe: %s)%n", label, types);
              }
            } else if (trigger.sqs()) {
              Message accepted = acceptAndReceive(stack, http, trigger, events, n);
              Files.write(event, sqsEvent(List.of(accepted), trigger.queueArn()));
              s = spawn(java, classpath, handlers.get(name), event, "sqs", env, variant, name, run);
              stack.sqs().deleteMessage(b -> b.queueUrl(trigger.queueUrl()).receiptHandle(accepted.receiptHandle()));
              List<String> types = toEhrQueue == null ? List.of() : takeToEhr(stack, toEhrQueue, events.eventId(n),
                  name.equals("bare") ? 0 : 2);
              boolean expected = name.equals("bare") ? types.isEmpty()
                  : !types.isEmpty() && types.stream().noneMatch(t -> t.startsWith("other:"));
              s = s.checked(s.failures() + "/" + types.size(), s.failures() == 0 && s.records() == 1 && expected);
              if (!name.equals("bare") && run == 1 - discard && variant.equals(variants.get(0))) {
                System.out.printf(Locale.ROOT, "         (to-EHR queue after the first %s probe: %s)%n", label, types);
              }
            } else {
              Files.write(event, signedEvent(stack, trigger.route(), events, n));
              s = spawn(java, classpath, handlers.get(name), event, "api", env, variant, name, run);
            }
            if (run >= 1) {
              samples.add(s);
            }
            System.out.printf(Locale.ROOT, "%-8s %-10s %4s %9.1f %10.1f %9.1f %8.1f %9.1f %9.1f %10.1f %7s%n",
                variant, name, run >= 1 ? Integer.toString(run) : "(d)", s.wallMs(), s.uptimeMs(), s.mainAtMs(),
                s.initMs(), s.invokeMs(), s.deserMs(), s.handleMs(), s.result());
            if (!s.ok()) {
              allAccepted = false;
            }
          }
        }
      }

      System.out.printf(Locale.ROOT, "%nmedians over %d run(s)%n", runs);
      System.out.printf(Locale.ROOT, "%-8s %-10s %9s %10s %9s %8s %9s %9s %10s%n",
          "variant", "handler", "wall ms", "uptime ms", "main@ ms", "init ms", "invoke ms", "(deser", "handle)");
      for (String variant : variants) {
        for (String name : handlers.keySet()) {
          List<Sample> mine = samples.stream().filter(s -> s.variant().equals(variant) && s.handler().equals(name)).toList();
          allAccepted &= mine.stream().allMatch(Sample::ok);
          System.out.printf(Locale.ROOT, "%-8s %-10s %9.1f %10.1f %9.1f %8.1f %9.1f %9.1f %10.1f%n", variant, name,
              median(mine, Sample::wallMs), median(mine, Sample::uptimeMs), median(mine, Sample::mainAtMs),
              median(mine, Sample::initMs), median(mine, Sample::invokeMs), median(mine, Sample::deserMs),
              median(mine, Sample::handleMs));
        }
      }
      System.out.println("""

          wall ms    parent: ProcessBuilder.start() -> the probe's output line read (fork/exec + JVM boot + init + invoke + pipe)
          uptime ms  probe: JVM start time (RuntimeMXBean) -> first response ready
          main@ ms   probe: JVM start time -> main() entered (JVM boot, before any handler code)
          init ms    probe: load the handler class + its public no-arg constructor (Lambda's Init phase)
          invoke ms  probe: deserialise the event (Lambda serializers) + handleRequest + serialise the answer
                     (deser = the deserialisation alone, handle = handleRequest alone)""");
      if (trigger.sqs() && hl7 != null) {
        System.out.println("""
          result     batchItemFailures / events the handler put on the to-platform queue for that message
                     (expected 0/1 for the function: one ehr.result.available per OBR; 0/0 for bare)""");
      } else if (trigger.sqs()) {
        System.out.println("""
          result     batchItemFailures / messages the handler put on the to-EHR queue for that event
                     (expected 0/2 for the function: ADT^A04 + SIU^S12 of a new patient; 0/0 for bare)""");
      }

      System.out.println();
      System.out.println("deployable jars (template.yaml CodeUri)");
      Map<String, Path> jars = new TreeMap<>();
      for (LocalFunction f : stack.functions()) {
        if (f.spec().codeJar() != null) {
          jars.put(f.logicalId(), f.spec().codeJar());
        }
      }
      for (Map.Entry<String, Path> e : jars.entrySet()) {
        printJar(e.getKey(), e.getValue(), repo);
      }
      printJar("(reference) local stack", repo.resolve("local/target/telebridge-local.jar"), repo);
    } finally {
      deleteTree(work);
    }
    if (!allAccepted) {
      System.err.println("coldstart: some probe answered other than expected (202; or no batch failures and the to-EHR messages)");
      System.exit(1);
    }
    System.exit(0);
  }

  private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    return Stats.median(samples.stream().mapToDouble(f).toArray());
  }

  private static void printJar(String label, Path jar, Path repo) throws IOException {
    if (!Files.isRegularFile(jar)) {
      System.out.printf(Locale.ROOT, "  %-26s %s (missing)%n", label, repo.relativize(jar));
      return;
    }
    int entries;
    try (JarFile j = new JarFile(jar.toFile())) {
      entries = j.size();
    }
    long bytes = Files.size(jar);
    System.out.printf(Locale.ROOT, "  %-26s %-56s %,12d bytes (%.1f MiB, %,d entries)%n", label, repo.relativize(jar),
        bytes, bytes / 1048576.0, entries);
  }

  /** Short name of the function in the tables. */
  static String label(String functionId) {
    return switch (functionId) {
      case "IntakeFunction" -> "intake";
      case "ToEhrTranslatorFunction" -> "translator";
      case "FromEhrTranslatorFunction" -> "from-ehr";
      default -> "function";
    };
  }

  /** The function's API route, else the queue of its (first) SQS event in the template. */
  static Trigger trigger(LocalStack stack, String functionId) {
    LocalFunction function = stack.function(functionId);
    Optional<ApiRoute> route = stack.routes().stream().filter(r -> r.function() == function).findFirst();
    if (route.isPresent()) {
      return new Trigger(route.get(), null, null);
    }
    TemplateResource resource = stack.template().resource(functionId);
    if (resource != null && resource.properties().get("Events") instanceof Map<?, ?> events) {
      for (Object definition : events.values()) {
        if (definition instanceof Map<?, ?> def && "SQS".equals(String.valueOf(def.get("Type")))
            && def.get("Properties") instanceof Map<?, ?> props && props.get("Queue") != null) {
          String arn = String.valueOf(stack.resolver().resolve(props.get("Queue")));
          for (String logicalId : stack.queueUrls().keySet()) {
            if (arn.equals(stack.queueArn(logicalId))) {
              return new Trigger(null, stack.queueUrl(logicalId), arn);
            }
          }
          throw new IllegalStateException(functionId + ": its SQS event's queue " + arn + " is not in the template");
        }
      }
    }
    throw new IllegalStateException(functionId + " has neither an API route nor an SQS event");
  }

  /**
   * POSTs a freshly signed copy of the sample (event {@code n}, a patient new to this run) to the
   * stack's API, expects 202, and receives the accepted message from the function's queue (the
   * function's own trigger is off, so nothing else reads it).
   */
  static Message acceptAndReceive(LocalStack stack, HttpClient http, Trigger trigger, BenchEvents events, int n)
      throws IOException, InterruptedException {
    byte[] body = events.body(n, events.runPatient(n));
    long ts = Instant.now().getEpochSecond();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.apiUrl("/v1/events"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(stack.devSigningSecret(), ts, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("the intake answered " + response.statusCode() + " to event " + events.eventId(n));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<Message> got = stack.sqs().receiveMessage(b -> b.queueUrl(trigger.queueUrl()).maxNumberOfMessages(1)
          .waitTimeSeconds(2).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All")).messages();
      for (Message m : got) {
        if (m.body().contains("\"" + events.eventId(n) + "\"")) {
          return m;
        }
        throw new IllegalStateException("unexpected message on " + trigger.queueUrl() + " (not event " + events.eventId(n) + ")");
      }
    }
    throw new IllegalStateException("event " + events.eventId(n) + " was accepted but not found on " + trigger.queueUrl());
  }

  /**
   * Takes (receives and deletes) the messages of one event from the to-EHR queue: waits up to 2 s
   * for {@code expected} of them (a FIFO group is locked while one is in flight, hence the loop),
   * then drains what else is visible. Returns their {@code messageType} attributes in order.
   */
  static List<String> takeToEhr(LocalStack stack, String queueUrl, String eventId, int expected) {
    List<String> types = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (true) {
      boolean waiting = types.size() < expected && System.nanoTime() < deadline;
      List<Message> got = stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(waiting ? 1 : 0).messageAttributeNames("All")).messages();
      for (Message m : got) {
        MessageAttributeValue id = m.messageAttributes().get("eventId");
        MessageAttributeValue type = m.messageAttributes().get("messageType");
        types.add((id != null && eventId.equals(id.stringValue()) ? "" : "other:")
            + (type == null ? "?" : type.stringValue()));
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
      if (got.isEmpty() && !waiting) {
        return types;
      }
    }
  }

  /**
   * Puts one HL7 message on the from-EHR queue as the MLLP listener does (contract: body = the text,
   * attributes sendingFacility / controlId / messageType / receivedAt, group = the MRN, dedup = hex
   * SHA-256 of facility|MSH-10), with {@code controlId} as its MSH-10, and receives it back.
   */
  static Message sendHl7AndReceive(LocalStack stack, Trigger trigger, String hl7, String controlId)
      throws NoSuchAlgorithmException {
    char sep = hl7.charAt(3);
    String msh = hl7.substring(0, hl7.indexOf('\r') < 0 ? hl7.length() : hl7.indexOf('\r'));
    String[] f = msh.split(Pattern.quote(String.valueOf(sep)), -1);
    f[9] = controlId; // MSH-10
    String body = String.join(String.valueOf(sep), f) + hl7.substring(msh.length());
    String facility = f[3];
    String mrn = new FromEhrReader("TELEHEALTH", ZoneOffset.UTC).read(body).patient().mrn().value();
    String dedup = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((facility + "|" + controlId).getBytes(StandardCharsets.UTF_8)));
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    attrs.put("sendingFacility", MessageAttributeValue.builder().dataType("String").stringValue(facility).build());
    attrs.put("controlId", MessageAttributeValue.builder().dataType("String").stringValue(controlId).build());
    attrs.put("messageType", MessageAttributeValue.builder().dataType("String").stringValue(f[8]).build());
    attrs.put("receivedAt", MessageAttributeValue.builder().dataType("String").stringValue(Instant.now().toString()).build());
    stack.sqs().sendMessage(b -> b.queueUrl(trigger.queueUrl()).messageBody(body).messageGroupId(mrn)
        .messageDeduplicationId(dedup).messageAttributes(attrs));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Message m : stack.sqs().receiveMessage(b -> b.queueUrl(trigger.queueUrl()).maxNumberOfMessages(1)
          .waitTimeSeconds(2).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All")).messages()) {
        if (m.body().contains(controlId)) {
          return m;
        }
        throw new IllegalStateException("unexpected message on " + trigger.queueUrl() + " (not " + controlId + ")");
      }
    }
    throw new IllegalStateException(controlId + " was sent but not found on " + trigger.queueUrl());
  }

  /** Takes the events on the to-platform queue (waits up to 2 s for {@code expected}); returns their eventType attributes. */
  static List<String> takePlatform(LocalStack stack, String queueUrl, int expected) {
    List<String> types = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (true) {
      boolean waiting = types.size() < expected && System.nanoTime() < deadline;
      List<Message> got = stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(waiting ? 1 : 0).messageAttributeNames("All")).messages();
      for (Message m : got) {
        MessageAttributeValue type = m.messageAttributes().get("eventType");
        types.add(type == null ? "?" : type.stringValue());
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
      if (got.isEmpty() && !waiting) {
        return types;
      }
    }
  }

  /** The SQSEvent JSON for these messages, as the local poller ({@code SqsEventSource}) and Lambda build it. */
  static byte[] sqsEvent(List<Message> batch, String queueArn) {
    JsonMapper json = JsonMapper.builder().build();
    ObjectNode event = json.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : batch) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      m.attributesAsStrings().forEach(attributes::put);
      ObjectNode messageAttributes = r.putObject("messageAttributes");
      for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
        MessageAttributeValue v = a.getValue();
        ObjectNode value = messageAttributes.putObject(a.getKey());
        if (v.stringValue() != null) {
          value.put("stringValue", v.stringValue());
        }
        if (v.binaryValue() != null) {
          value.put("binaryValue", Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
        }
        ArrayNode strings = value.putArray("stringListValues");
        v.stringListValues().forEach(strings::add);
        ArrayNode binaries = value.putArray("binaryListValues");
        v.binaryListValues().forEach(b -> binaries.add(Base64.getEncoder().encodeToString(b.asByteArray())));
        value.put("dataType", v.dataType());
      }
      r.put("md5OfBody", m.md5OfBody());
      if (m.md5OfMessageAttributes() != null) {
        r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
      }
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queueArn);
      r.put("awsRegion", StackResolver.REGION);
    }
    return json.writeValueAsBytes(event);
  }

  /** The API Gateway v2 event the local API would build for a freshly signed copy of the sample. */
  static byte[] signedEvent(LocalStack stack, ApiRoute route, BenchEvents events, int n) {
    byte[] body = events.body(n);
    Instant now = Instant.now();
    long ts = now.getEpochSecond();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    headers.put("Content-Length", List.of(Integer.toString(body.length)));
    headers.put("Host", List.of(stack.apiBaseUrl().getAuthority()));
    headers.put("User-Agent", List.of("telebridge-bench"));
    headers.put(WebhookSignature.TIMESTAMP_HEADER, List.of(Long.toString(ts)));
    headers.put(WebhookSignature.SIGNATURE_HEADER, List.of(WebhookSignature.sign(stack.devSigningSecret(), ts, body)));
    ApiRequest request = new ApiRequest("POST", route.path(), null, headers, body, "127.0.0.1", "HTTP/1.1",
        stack.apiBaseUrl().getPort());
    return ApiGatewayEvents.httpApiV2Event(request, route, Map.of(), ApiGatewayEvents.newRequestId(), now);
  }

  static Sample spawn(Path java, String classpath, String handler, Path event, String kind, Map<String, String> env,
      String variant, String name, int run) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", classpath, ColdStartProbe.class.getName(),
        handler, event.toString(), kind);
    pb.environment().clear();
    pb.environment().putAll(env);
    String path = io.telebridge.local.DevEnvironment.get("PATH", null);
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Thread drain = Thread.ofPlatform().daemon().start(() -> copy(p.getErrorStream(), stderr));
    String probeLine = null;
    long t1 = 0;
    StringBuilder otherOut = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (probeLine == null && line.startsWith("PROBE ")) {
          t1 = System.nanoTime();
          probeLine = line;
        } else {
          otherOut.append(line).append('\n');
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    drain.join(5_000);
    if (probeLine == null) {
      String err = stderr.toString(StandardCharsets.UTF_8);
      String hint = err.contains("ClassNotFoundException: org.joda.time.DateTime")
          ? "\n(the function jar has no joda-time: the Lambda runtime's SQSEvent deserialiser (LambdaEventSerializers,"
              + " DateTimeModule) loads org.joda.time.DateTime from the function's classpath, so this jar fails on"
              + " Lambda before its handler runs; --with-joda measures with joda-time appended)"
          : "";
      throw new IllegalStateException("probe (" + variant + ", " + name + ") gave no PROBE line; exit "
          + p.exitValue() + "\nstdout:\n" + otherOut + "stderr:\n" + err + hint);
    }
    Map<String, Long> v = new TreeMap<>();
    for (String kv : probeLine.substring("PROBE ".length()).split(" ")) {
      String[] parts = kv.split("=", 2);
      v.put(parts[0], Long.parseLong(parts[1]));
    }
    int status = v.get("status").intValue();
    int failures = v.getOrDefault("failures", 0L).intValue();
    int records = v.getOrDefault("records", 1L).intValue();
    boolean sqs = kind.equals("sqs");
    boolean ok = sqs ? failures == 0 : status == 202;
    if (!ok) {
      System.err.println("probe (" + variant + ", " + name + ") answered " + (sqs ? failures + " batch failure(s)" : status)
          + "; stderr:\n" + stderr.toString(StandardCharsets.UTF_8));
    }
    long jvmStart = v.get("jvmStart");
    return new Sample(variant, name, run, (t1 - t0) / 1e6, v.get("respondedAt") - jvmStart,
        v.get("mainAt") - jvmStart, v.get("initNanos") / 1e6, v.get("readNanos") / 1e6,
        v.get("invokeNanos") / 1e6, v.get("deserNanos") / 1e6, v.get("handleNanos") / 1e6, status, failures, records,
        sqs ? Integer.toString(failures) : Integer.toString(status), ok);
  }

  private static void copy(InputStream in, OutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process went away
    }
  }

  /**
   * A small jar with the probe, the bare handler and aws-lambda-java-serialization (copied from
   * wherever this code runs: the shaded local jar, or the classes directory and the library jar),
   * so the probe's classpath is the function jar plus what the Lambda runtime brings.
   */
  static Path buildProbeJar(Path target) throws IOException {
    Predicate<String> probeClasses = n -> n.startsWith("io/telebridge/local/bench/ColdStartProbe")
        || n.startsWith("io/telebridge/local/bench/BareHandler")
        || n.startsWith("io/telebridge/local/bench/BareSqsHandler");
    Predicate<String> serialization = n -> n.startsWith("com/amazonaws/services/lambda/runtime/serialization/")
        || n.startsWith("com/amazonaws/lambda/thirdparty/");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target))) {
      java.util.Set<String> written = new java.util.HashSet<>();
      copyEntries(codeSource(ColdStartProbe.class), probeClasses, jar, written);
      copyEntries(codeSource(JacksonFactory.class), serialization, jar, written);
      if (written.stream().noneMatch(n -> n.endsWith("JacksonFactory.class"))
          || written.stream().noneMatch(n -> n.endsWith("ColdStartProbe.class"))) {
        throw new IllegalStateException("probe jar incomplete: " + written.size() + " entries");
      }
    }
    return target;
  }

  /** joda-time's classes and time-zone data, copied from wherever this code runs, as a jar of its own. */
  static Path buildJodaJar(Path target) throws IOException {
    Class<?> dateTime;
    try {
      dateTime = Class.forName("org.joda.time.DateTime");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("--with-joda: joda-time is not on this harness's classpath");
    }
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target))) {
      java.util.Set<String> written = new java.util.HashSet<>();
      copyEntries(codeSource(dateTime), n -> n.startsWith("org/joda/time/"), jar, written);
      if (written.stream().noneMatch(n -> n.equals("org/joda/time/DateTime.class"))) {
        throw new IllegalStateException("joda-time jar incomplete: " + written.size() + " entries");
      }
    }
    return target;
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyEntries(Path source, Predicate<String> wanted, JarOutputStream out, java.util.Set<String> written)
      throws IOException {
    if (Files.isDirectory(source)) {
      try (var files = Files.walk(source)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = source.relativize(f).toString().replace(File.separatorChar, '/');
          if (wanted.test(name) && !written.contains(name)) {
            out.putNextEntry(new JarEntry(name));
            Files.copy(f, out);
            out.closeEntry();
            written.add(name);
          }
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(source.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (!entry.isDirectory() && wanted.test(name) && !written.contains(name)) {
          out.putNextEntry(new JarEntry(name));
          try (InputStream in = jar.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
          written.add(name);
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // temp files: best effort
    }
  }
}
