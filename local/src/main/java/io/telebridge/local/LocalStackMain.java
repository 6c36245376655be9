package io.telebridge.local;

import io.telebridge.local.http.ApiRoute;
import io.telebridge.local.http.HttpApiServer;
import io.telebridge.local.lambda.LocalFunction;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The developer command: starts the local stack on fixed ports (API 3000, ElasticMQ 9324,
 * moto 5000), prints where everything is, and runs until Ctrl-C.
 */
public final class LocalStackMain {

  static final String USAGE = """
      Usage: telebridge-local [start] [options]
        --root DIR            the repository (default: found upwards from the working dir by template.yaml)
        --template PATH       template.yaml (default: <root>/template.yaml)
        --data-dir PATH       queues (ElasticMQ), tables and secrets (moto), simulators' records
                              (default: <root>/.local-data)
        --reset               delete the data directory first (all queued messages and table items are lost)
        --host ADDR           address to bind (default 127.0.0.1)
        --api-port N          local API port (default 3000; env TELEBRIDGE_API_PORT)
        --sqs-port N          ElasticMQ port (default 9324; env TELEBRIDGE_SQS_PORT)
        --moto-port N         moto port (default 5000; env TELEBRIDGE_MOTO_PORT)
        --moto-endpoint URL   use a moto server that is already running
        --parameter K=V       override a template parameter (repeatable)
        --import K=V          value of Fn::ImportValue K (repeatable)
        --secret S            development webhook signing secret (env TELEBRIDGE_WEBHOOK_SECRET)
        --verbose-errors      log handler exceptions with messages (synthetic data only)
        --concurrency N       invocations of a function at once (own handler instance each), and SQS batches in
                              flight per trigger (default 4; 1: one at a time; env TELEBRIDGE_CONCURRENCY)
        --no-functions        create queues, tables and secrets only; run no function (and no bridge)
        --ehr-port N          EHR simulator MLLP port (default 2575; env TELEBRIDGE_EHR_PORT)
        --ehr-control-port N  EHR simulator HTTP control port (default 2576)
        --bridge-health-port N  MLLP bridge health endpoint (default 2577)
        --mllp-port N         the bridge's MLLP listener, where the EHR sends (default 2578; env TELEBRIDGE_MLLP_PORT;
                              -1: none)
        --ehr HOST:PORT       point the MLLP bridge at this EHR instead of the simulator
        --bridge-env K=V      extra environment for the bridge, e.g. EHR_TLS=true (repeatable)
        --no-bridge           run neither the MLLP bridge nor the EHR simulator
        --platform-port N     platform simulator port (default 2580; env TELEBRIDGE_PLATFORM_PORT)
        --no-platform-simulator  no platform simulator (deliveries then fail and retry; or give
                              --parameter PlatformEndpointUrl=URL for another receiver)
        --fhir-url URL        the FHIR R4 server the context function reads charts from (template FhirBaseUrl)
        --fhir-auth MODE      how it authenticates there with --fhir-url: none (default), healthlake, smart
        --no-fhir             no FHIR server, no FHIR doors, no Keycloak (a quicker start)
        --fhir-port N         the FHIR doors: HealthLake (SigV4) and the EHR FHIR API (OAuth2) (default 2590;
                              env TELEBRIDGE_FHIR_PORT)
        --fhir-upstream URL   front this running FHIR server (http://.../fhir) instead of starting one
        --keycloak            start Keycloak (slow: about a minute, in the background) as the EHR's OAuth2
                              server; the EHR door then takes only its tokens
        --keycloak-port N     Keycloak's port (default 2591; env TELEBRIDGE_KEYCLOAK_PORT)
      """;

  private LocalStackMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Starts the stack and blocks until the JVM is asked to stop; returns an exit code on errors. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    LocalStackOptions options;
    boolean reset = false;
    try {
      Path template = null;
      Path root = null;
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--template")) {
          template = Path.of(value(args, ++i, "--template"));
        } else if (args[i].equals("--root")) {
          root = Path.of(value(args, ++i, "--root"));
        }
      }
      if (template == null && root != null) {
        template = root.resolve(RepoRoot.TEMPLATE);
        if (!Files.isRegularFile(template)) {
          throw new IllegalArgumentException("no " + RepoRoot.TEMPLATE + " in " + root);
        }
      }
      if (template == null) {
        template = RepoRoot.template().orElseThrow(() -> new IllegalArgumentException(
            "no template.yaml here or above; run from the repository or pass --template"));
      }
      options = LocalStackOptions.defaults(template);
      options.apiPort(envInt("TELEBRIDGE_API_PORT", LocalStackOptions.DEFAULT_API_PORT));
      options.sqsPort(envInt("TELEBRIDGE_SQS_PORT", LocalStackOptions.DEFAULT_SQS_PORT));
      options.motoPort(envInt("TELEBRIDGE_MOTO_PORT", LocalStackOptions.DEFAULT_MOTO_PORT));
      options.ehrSimulatorPort(envInt("TELEBRIDGE_EHR_PORT", LocalStackOptions.DEFAULT_EHR_SIMULATOR_PORT));
      options.mllpListenPort(envInt("TELEBRIDGE_MLLP_PORT", LocalStackOptions.DEFAULT_MLLP_LISTEN_PORT));
      options.platformSimulatorPort(envInt("TELEBRIDGE_PLATFORM_PORT", LocalStackOptions.DEFAULT_PLATFORM_SIMULATOR_PORT));
      options.fhirPort(envInt("TELEBRIDGE_FHIR_PORT", LocalStackOptions.DEFAULT_FHIR_PORT));
      options.keycloakPort(envInt("TELEBRIDGE_KEYCLOAK_PORT", LocalStackOptions.DEFAULT_KEYCLOAK_PORT));
      options.concurrency(envInt("TELEBRIDGE_CONCURRENCY", LocalStackOptions.DEFAULT_CONCURRENCY));
      String envSecret = DevEnvironment.get("TELEBRIDGE_WEBHOOK_SECRET", null);
      if (envSecret != null) {
        options.devSigningSecret(envSecret);
      }
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--template", "--root" -> i++;
          case "--data-dir" -> options.dataDir(Path.of(value(args, ++i, a)));
          case "--reset" -> reset = true;
          case "--host" -> options.host(value(args, ++i, a));
          case "--api-port" -> options.apiPort(Integer.parseInt(value(args, ++i, a)));
          case "--sqs-port" -> options.sqsPort(Integer.parseInt(value(args, ++i, a)));
          case "--moto-port" -> options.motoPort(Integer.parseInt(value(args, ++i, a)));
          case "--moto-endpoint" -> options.motoEndpoint(URI.create(value(args, ++i, a)));
          case "--parameter" -> {
            String[] kv = keyValue(value(args, ++i, a), a);
            options.parameter(kv[0], kv[1]);
          }
          case "--import" -> {
            String[] kv = keyValue(value(args, ++i, a), a);
            options.importValue(kv[0], kv[1]);
          }
          case "--secret" -> options.devSigningSecret(value(args, ++i, a));
          case "--verbose-errors" -> options.verboseErrors(true);
          case "--concurrency" -> options.concurrency(Integer.parseInt(value(args, ++i, a)));
          case "--no-functions" -> options.runFunctions(false);
          case "--ehr-port" -> options.ehrSimulatorPort(Integer.parseInt(value(args, ++i, a)));
          case "--ehr-control-port" -> options.ehrControlPort(Integer.parseInt(value(args, ++i, a)));
          case "--bridge-health-port" -> options.bridgeHealthPort(Integer.parseInt(value(args, ++i, a)));
          case "--mllp-port" -> options.mllpListenPort(Integer.parseInt(value(args, ++i, a)));
          case "--fhir-url" -> options.fhirUrl(value(args, ++i, a));
          case "--fhir-auth" -> options.fhirAuth(value(args, ++i, a));
          case "--ehr" -> {
            String hostPort = value(args, ++i, a);
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
              throw new IllegalArgumentException("--ehr needs HOST:PORT, got " + hostPort);
            }
            options.externalEhr(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
          }
          case "--bridge-env" -> {
            String[] kv = keyValue(value(args, ++i, a), a);
            options.bridgeEnvironment(kv[0], kv[1]);
          }
          case "--no-bridge" -> options.runBridge(false);
          case "--platform-port" -> options.platformSimulatorPort(Integer.parseInt(value(args, ++i, a)));
          case "--no-platform-simulator" -> options.runPlatformSimulator(false);
          case "--no-fhir" -> options.runFhir(false);
          case "--fhir-port" -> options.fhirPort(Integer.parseInt(value(args, ++i, a)));
          case "--fhir-upstream" -> options.fhirUpstream(value(args, ++i, a));
          case "--keycloak" -> options.keycloak(true);
          case "--keycloak-port" -> options.keycloakPort(Integer.parseInt(value(args, ++i, a)));
          case "-h", "--help" -> {
            out.print(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (reset && Files.exists(options.dataDir())) {
      io.telebridge.local.emulator.MotoServer.reclaim(options.dataDir().resolve("moto")); // a crashed run's moto, if any
      LocalStack.deleteRecursively(options.dataDir());
      out.println("data directory " + options.dataDir() + " deleted");
    }
    LocalStack stack;
    try {
      stack = LocalStack.start(options);
    } catch (IllegalStateException | io.telebridge.local.template.TemplateException | java.io.IOException e) {
      err.println("The local stack did not start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("\nstopping the local stack...");
      stack.close();
      out.println("stopped.");
      stopped.countDown();
    }, "local-stack-shutdown"));
    out.print(banner(stack));
    out.flush();
    stopped.await();
    return 0;
  }

  /** What the command prints once everything is up. */
  public static String banner(LocalStack stack) {
    StringBuilder b = new StringBuilder();
    String nl = System.lineSeparator();
    b.append(nl).append("telebridge local stack is up").append(nl);
    b.append("  template  ").append(stack.template().path()).append(nl);
    b.append("  data      ").append(stack.dataDir()).append("  (queues, messages and tables survive a restart or a crash; --reset clears)")
        .append(nl).append(nl);
    if (stack.apiBaseUrl() != null) {
      b.append("API (API Gateway HTTP API emulation) on ").append(stack.apiBaseUrl()).append(nl);
      for (ApiRoute r : stack.routes()) {
        String url = r.isDefaultRoute() ? stack.apiBaseUrl() + "/*" : stack.apiBaseUrl() + r.path();
        b.append(String.format("  %-7s %-45s -> %s%s%n", r.isDefaultRoute() ? "ANY" : r.method(), url,
            r.function().logicalId(), r.requiresIam() ? "  (AWS_IAM: SigV4 with the local credentials)" : ""));
      }
      if (stack.routes().stream().anyMatch(ApiRoute::requiresIam)) {
        var c = LocalStack.localCredentials();
        b.append("  AWS_IAM routes accept SigV4 (service execute-api, us-east-1) with access key ").append(c.accessKey())
            .append(" / secret ").append(c.secretKey()).append(" (caller ").append(c.userArn()).append(")").append(nl);
      }
      if (stack.routes().stream().anyMatch(r -> r.path().startsWith(HttpApiServer.CONSOLE_PATH))) {
        b.append("  console: ").append(stack.apiBaseUrl()).append(HttpApiServer.CONSOLE_PATH)
            .append("  (a browser on this machine is the local developer: local-only sign-in)").append(nl);
      }
      b.append(nl);
    }
    b.append("Development signing secret: ").append(stack.devSigningSecret())
        .append("   (synthetic; local use only)").append(nl);
    for (Map.Entry<String, String> e : stack.devSecretArns().entrySet()) {
      b.append("  parameter ").append(e.getKey()).append(" = ").append(e.getValue()).append(nl);
    }
    b.append(nl);
    String firstQueue = stack.mainQueue().orElse("IntakeQueue");
    b.append("Try it:").append(nl);
    String hint = "  %-44s %s%n";
    b.append(String.format(hint, "./tb send events/appointment.booked.json", "sign with the dev secret and POST to the API"));
    b.append(String.format(hint, "./tb peek " + firstQueue, "show what waits in a queue (synthetic data only)"));
    b.append(String.format(hint, "./tb sign events/appointment.booked.json", "print the signature headers, for curl"));
    b.append(String.format(hint, "./tb redrive <DeadLetterQueue>", "move a DLQ's messages back to its source queue"));
    if (stack.routes().stream().anyMatch(r -> r.path().startsWith("/v1/reviews"))) {
      b.append(String.format(hint, "./tb review list", "possible patient matches waiting for a decision"));
    }
    b.append(nl);
    b.append("Queues (ElasticMQ ").append(stack.sqsEndpoint()).append(")").append(nl);
    stack.queueUrls().forEach((id, url) -> b.append(String.format("  %-28s %s%n", id, url)));
    b.append("Tables (moto ").append(stack.motoEndpoint()).append(")").append(nl);
    stack.tableNames().forEach((id, name) -> b.append(String.format("  %-28s %s%n", id, name)));
    b.append(nl);
    if (!stack.functions().isEmpty()) {
      b.append("Functions (in this JVM)").append(nl);
      for (LocalFunction f : stack.functions()) {
        b.append(String.format("  %-28s %s  %s%n", f.logicalId(), f.spec().handler(),
            f.isLoadable() ? "" : "[NOT LOADED: see warnings]"));
      }
      for (EventSource s : stack.eventSources()) {
        b.append("  ").append(s.describe()).append(nl);
      }
      b.append(nl);
    }
    b.append(ehrSection(stack));
    b.append(platformSection(stack));
    b.append(fhirSection(stack));
    String queueUrl = stack.mainQueue().map(stack::queueUrl).orElse("<queue url>");
    // the journal: no PHI in it (the identity and appointment tables hold patients' data)
    String table = stack.tableNames().getOrDefault("JournalTable",
        stack.tableNames().values().stream().findFirst().orElse("<table>"));
    b.append("AWS CLI (any credentials: export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1)")
        .append(nl);
    b.append("  aws --endpoint-url ").append(stack.sqsEndpoint()).append(" sqs receive-message --queue-url ").append(queueUrl)
        .append(" --attribute-names All --message-attribute-names All --visibility-timeout 0").append(nl);
    b.append("  aws --endpoint-url ").append(stack.motoEndpoint()).append(" dynamodb scan --table-name ").append(table).append(nl);
    if (!stack.absentFunctions().isEmpty()) {
      b.append(nl).append("Not run (module not in this checkout)").append(nl);
      stack.absentFunctions().forEach((id, why) -> b.append("  - ").append(id).append(": ").append(why).append(nl));
    }
    List<String> warnings = new ArrayList<>(stack.warnings());
    if (!warnings.isEmpty()) {
      b.append(nl).append("Warnings").append(nl);
      warnings.forEach(w -> b.append("  - ").append(w).append(nl));
    }
    b.append(nl).append("Ctrl-C stops everything.").append(nl);
    return b.toString();
  }

  /** Where HL7 goes: the bridge, the EHR simulator, and how to see and steer what it answers. */
  static String ehrSection(LocalStack stack) {
    if (stack.mllpBridge() == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    String nl = System.lineSeparator();
    Map<String, String> env = stack.bridgeEnvironment();
    String health = "http://" + stack.options().host() + ":" + stack.mllpBridge().healthPort() + "/health";
    b.append("EHR over MLLP (the bridge runs in this JVM: ToEhrQueue -> MLLP -> EHR, ACK checked, NACKs to ToEhrDeadLetterQueue)")
        .append(nl);
    if (stack.mllpListenerPort() > 0) {
      b.append("  EHR -> bridge's MLLP listener ").append(stack.options().host()).append(':').append(stack.mllpListenerPort())
          .append(" (persist on FromEhrQueue, then AA; malformed -> AR + QuarantineQueue)").append(nl);
      b.append(String.format("    %s   # %s%n", "./tb mllp-send tests/fixtures/mllp/oru-r01.hl7",
          "send a file over MLLP, print the ACK (--port " + stack.mllpListenerPort() + ")"));
      b.append(String.format("    %s   # %s%n", "./tb peek FromEhrQueue", "what the listener persisted (QuarantineQueue: what it refused)"));
    }
    if (stack.ehrSimulator() == null) {
      b.append("  bridge -> external EHR ").append(env.get("EHR_HOST")).append(':').append(env.get("EHR_PORT"))
          .append("   health ").append(health).append(nl).append(nl);
      return b.toString();
    }
    var sim = stack.ehrSimulator();
    String ctl = sim.controlUrl() == null ? null : sim.controlUrl().toString();
    b.append("  bridge -> EHR simulator ").append(sim.host()).append(':').append(sim.port())
        .append("   health ").append(health).append(nl);
    b.append("  what the EHR received: a line per message on this console (\"EHR simulator <- MSH-10 type -> answer\"),")
        .append(nl);
    b.append("    ").append(stack.dataDir().resolve("ehr-simulator").resolve("messages.hl7")).append("  (and received.log)")
        .append(nl);
    if (ctl != null) {
      String row = "    %s   # %s%n";
      b.append(String.format(row, "curl " + ctl + "/messages", "list (?full=1: the HL7 text)"));
      b.append("  tell the simulator how to answer (default AA):").append(nl);
      b.append(String.format(row, "curl -X POST '" + ctl + "/rules?answer=AE&times=1'", "next message: AE + ERR (also AR, CE, CR; &errCode=207)"));
      b.append(String.format(row, "curl -X POST '" + ctl + "/rules?answer=AR&patient=ID'", "every message for one patient (PID-3), or &controlId=MSH-10"));
      b.append(String.format(row, "curl -X POST '" + ctl + "/rules?answer=AA&delayMs=15000&times=1'",
          "late ACK (beyond ACK_TIMEOUT_MS: the bridge reconnects and resends)"));
      b.append(String.format(row, "curl -X POST '" + ctl + "/rules?answer=DROP&times=1'", "close the connection, no answer"));
      b.append(String.format(row, "curl -X POST '" + ctl + "/down?seconds=20'", "EHR outage for 20 s"));
      b.append(String.format(row, "curl -X DELETE " + ctl + "/rules", "back to AA for everything"));
    }
    b.append(nl);
    return b.toString();
  }

  /** Where the return path ends: the platform simulator, and how to see and steer its answers. */
  static String fhirSection(LocalStack stack) {
    var fhir = stack.fhir();
    if (fhir == null) {
      return "";
    }
    String nl = System.lineSeparator();
    StringBuilder b = new StringBuilder();
    b.append("FHIR R4 (HAPI FHIR JPA server, H2 in ").append(stack.dataDir().resolve("fhir"))
        .append("; sample charts Patient/pt100234 (pat-1001's), pt100301, pt100877)").append(nl);
    if (stack.options().fhirUpstream() == null) {
      b.append("  server     a child process (log ").append(stack.dataDir().resolve("fhir").resolve("fhir-server.log"))
          .append("), starting in the background: \"FHIR server ready\" follows; the doors answer 503 until then")
          .append(nl);
    } else {
      b.append("  server     ").append(fhir.fhirServerUrl()).append("   (given with --fhir-upstream)").append(nl);
    }
    var c = LocalStack.localCredentials();
    b.append("  HealthLake ").append(fhir.healthLakeBaseUrl()).append("   SigV4, service healthlake, us-east-1, key ")
        .append(c.accessKey()).append(" / ").append(c.secretKey()).append("; unsigned -> 403").append(nl);
    b.append("  EHR API    ").append(fhir.ehrBaseUrl()).append("   Bearer token from ").append(fhir.tokenUrl())
        .append(nl);
    if (fhir.keycloak() != null) {
      b.append("  Keycloak   ").append(fhir.keycloak().baseUrl()).append("   realm ")
          .append(io.telebridge.local.emulator.Keycloak.REALM).append(", client ")
          .append(io.telebridge.local.fhir.LocalFhir.CLIENT_ID)
          .append(" (private_key_jwt, RS384); starting in the background: \"Keycloak ready\" follows").append(nl);
    } else {
      b.append("  tokens     the doors' stand-in endpoint (private_key_jwt checked by the doors; --keycloak for a real "
          + "OAuth2 server)").append(nl);
    }
    b.append("  client key ").append(io.telebridge.local.fhir.DevSmartKey.file(stack.dataDir()))
        .append("   (./tb jwks prints its public JWKS)").append(nl);
    b.append("  functions' default: ").append(stack.fhirBaseUrl()).append(nl).append(nl);
    return b.toString();
  }

  static String platformSection(LocalStack stack) {
    var sim = stack.platformSimulator();
    if (sim == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    String nl = System.lineSeparator();
    String base = sim.baseUrl().toString();
    String row = "    %s   # %s%n";
    b.append("Platform (the simulator receives the return path: ToPlatformQueue -> PlatformDeliveryFunction -> ")
        .append(sim.eventsUrl()).append(")").append(nl);
    b.append("  signature verified with the development platform secret ").append(stack.options().platformSigningSecret())
        .append("; a line per delivery on this console (\"platform simulator <- eventId type -> status\")").append(nl);
    b.append(String.format(row, "curl " + base + "/deliveries", "what arrived: headers, body, the answer given"));
    b.append(String.format(row, "curl -X POST '" + base + "/rules?status=503&times=1'", "next delivery: 503 (also 500, 400)"));
    b.append(String.format(row, "curl -X POST '" + base + "/rules?status=429&retryAfter=30&times=1'", "throttle, with Retry-After"));
    b.append(String.format(row, "curl -X DELETE " + base + "/rules", "back to 200 for everything"));
    b.append(nl);
    return b.toString();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static String[] keyValue(String s, String option) {
    int eq = s.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(option + " needs KEY=VALUE, got " + s);
    }
    return new String[] {s.substring(0, eq), s.substring(eq + 1)};
  }

  private static int envInt(String name, int fallback) {
    return DevEnvironment.getInt(name, fallback);
  }

}
