package io.telebridge.local.bench;

import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.fromehr.FromEhrMessage;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.core.model.PersonName;
import io.telebridge.core.model.Sex;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.hl7v2.FromEhrReader;
import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.bench.ColdStartSpawn.Sample;
import io.telebridge.local.http.ApiGatewayEvents;
import io.telebridge.local.http.ApiRequest;
import io.telebridge.local.http.ApiRoute;
import io.telebridge.local.lambda.LocalFunction;
import io.telebridge.local.template.TemplateResource;
import io.telebridge.matching.mpi.MatcherWiring;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the cold start bench feeds each function and how it judges the answer, one {@link Fixture}
 * per function: the intake a signed booking (202); the to-EHR translator an accepted booking from its
 * queue (ADT^A04 + SIU^S12 on the to-EHR queue); the from-EHR translator an ORU^R01 (one
 * ehr.result.available); the platform delivery an outbound event (delivered to the platform
 * simulator); the context pull and the on-demand context request a real pull of a seeded chart from
 * the local FHIR server (patient.context.ready; the cache is off for the probe so every spawn pulls).
 */
final class ColdStartFixtures {

  private ColdStartFixtures() {}

  /** The functions measured by default, in this order. */
  static final List<String> ALL = List.of("IntakeFunction", "ToEhrTranslatorFunction", "FromEhrTranslatorFunction",
      "PlatformDeliveryFunction", "ContextFunction", "ContextApiFunction");

  /** The functions that need the local FHIR server. */
  static final List<String> FHIR = List.of("ContextFunction", "ContextApiFunction");

  /** The seeded sample chart every context pull reads (MRN 100234, {@code SyntheticCharts.samples}). */
  static final String SAMPLE_MRN = "100234";

  /** One function's events and checks. */
  interface Fixture {
    /** {@code api}, {@code sqs} or {@code stream}: the probe's event kind. */
    String kind();

    /** One line: what the function's event is. */
    String describe();

    /** Writes event {@code n} before a spawn. */
    void prepare(Path file, int n) throws Exception;

    /** After the spawn: clears what the probe left on the queues and judges its answer. */
    Sample check(Sample s, boolean bare) throws Exception;

    /** The function's environment for the probe (changed in place; by default as the stack resolves it). */
    default void adjust(Map<String, String> env) {}

    /** The bare POJO handler of this kind (the runtime's serializers); the context pull's: the bare stream handler. */
    default String bareHandler() {
      return switch (kind()) {
        case "sqs" -> BareSqsHandler.class.getName();
        case "stream" -> BareStreamHandler.class.getName();
        default -> BareHandler.class.getName();
      };
    }

    /** The bare stream handler of this kind (bytes in, a constant out), or null where {@link #bareHandler} is one. */
    default String bareStreamHandler() {
      return switch (kind()) {
        case "sqs" -> BareSqsStreamHandler.class.getName();
        case "stream" -> null;
        default -> BareApiStreamHandler.class.getName();
      };
    }
  }

  /** What every fixture may use. */
  record Setup(LocalStack stack, HttpClient http, BenchEvents events, Path hl7File, String runTag) {}

  /** The short name in the tables. */
  static String label(String functionId) {
    return switch (functionId) {
      case "IntakeFunction" -> "intake";
      case "ToEhrTranslatorFunction" -> "translator";
      case "FromEhrTranslatorFunction" -> "from-ehr";
      case "PlatformDeliveryFunction" -> "delivery";
      case "ContextFunction" -> "context";
      case "ContextApiFunction" -> "context-api";
      default -> functionId.replace("Function", "").toLowerCase(java.util.Locale.ROOT);
    };
  }

  static Fixture of(Setup setup, String functionId) throws Exception {
    LocalStack stack = setup.stack();
    Map<String, String> env = stack.functionEnvironment(functionId);
    String tenant = env.getOrDefault("TENANT", io.telebridge.local.Cli.DEFAULT_TENANT);
    Optional<ApiRoute> route = stack.routes().stream().filter(r -> r.function() == stack.function(functionId)).findFirst();
    String toPlatform = env.get("TO_PLATFORM_QUEUE_URL");
    switch (functionId) {
      case "ContextFunction", "ContextApiFunction" -> {
        String patient = "bench-ctx-" + setup.runTag();
        link(stack, env, tenant, patient, new Identifier(SAMPLE_MRN,
            io.telebridge.hl7v2.EhrProfile.fromSetting(env.getOrDefault("EHR_PROFILE",
                io.telebridge.hl7v2.EhrProfile.DEFAULT_NAME)).authorities().ehrMrn().namespaceId(), "MR"));
        return functionId.equals("ContextFunction") ? contextPull(stack, tenant, patient, toPlatform)
            : contextRequest(stack, route.orElseThrow(), tenant, patient, toPlatform);
      }
      default -> {
        if (route.isPresent()) {
          return intake(stack, route.get(), setup.events());
        }
      }
    }
    String[] queue = sqsTrigger(stack, functionId);
    if (functionId.equals("PlatformDeliveryFunction")) {
      return delivery(stack, queue[0], queue[1], tenant, setup.runTag());
    }
    if (toPlatform != null) { // fed by the from-EHR queue: an HL7 message
      String hl7 = Hl7Text.normalize(Hl7Text.decode(Files.readAllBytes(setup.hl7File()), StandardCharsets.UTF_8));
      FromEhrMessage parsed = new FromEhrReader("TELEHEALTH", ZoneOffset.UTC).read(hl7);
      link(stack, env, tenant, "bench-pat-0", parsed.patient().mrn());
      return fromEhr(stack, queue[0], queue[1], hl7, toPlatform, setup.runTag());
    }
    return toEhr(stack, setup, queue[0], queue[1], env.get("TO_EHR_QUEUE_URL"));
  }

  static Fixture intake(LocalStack stack, ApiRoute route, BenchEvents events) {
    return new Fixture() {
      public String kind() {
        return "api";
      }

      public String describe() {
        return "API Gateway v2 event: a freshly signed booking (new event id per spawn), answered 202";
      }

      public void prepare(Path file, int n) throws Exception {
        Files.write(file, apiEvent(stack, route, events.body(n)));
      }

      public Sample check(Sample s, boolean bare) {
        return s.checked(Integer.toString(s.status()), s.status() == 202);
      }
    };
  }

  static Fixture toEhr(LocalStack stack, Setup setup, String queueUrl, String queueArn, String toEhrQueue) {
    return new Fixture() {
      private Message accepted;
      private int n;

      public String kind() {
        return "sqs";
      }

      public String describe() {
        return "SQSEvent of 1 record: a signed booking (new patient) accepted by the API (202), received from "
            + queueUrl + "; result = batch failures / messages on the to-EHR queue (0/2: ADT^A04 + SIU^S12)";
      }

      public void prepare(Path file, int n) throws Exception {
        this.n = n;
        accepted = ColdStartQueues.acceptAndReceive(stack, setup.http(), queueUrl, setup.events(), n);
        Files.write(file, ColdStartQueues.sqsEvent(List.of(accepted), queueArn));
      }

      public Sample check(Sample s, boolean bare) {
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(accepted.receiptHandle()));
        List<String> types = toEhrQueue == null ? List.of()
            : ColdStartQueues.takeToEhr(stack, toEhrQueue, setup.events().eventId(n), bare ? 0 : 2);
        boolean expected = bare ? types.isEmpty() : !types.isEmpty() && types.stream().noneMatch(t -> t.startsWith("other:"));
        return s.checked(s.failures() + "/" + types.size(), s.failures() == 0 && s.records() == 1 && expected);
      }
    };
  }

  static Fixture fromEhr(LocalStack stack, String queueUrl, String queueArn, String hl7, String toPlatform, String tag) {
    return new Fixture() {
      private Message accepted;

      public String kind() {
        return "sqs";
      }

      public String describe() {
        return "SQSEvent of 1 record: the HL7 message (fresh MSH-10 per spawn) from " + queueUrl
            + "; result = batch failures / events on the to-platform queue (0/1: ehr.result.available)";
      }

      public void prepare(Path file, int n) throws Exception {
        accepted = ColdStartQueues.sendHl7AndReceive(stack, queueUrl, hl7, "CS" + tag + "-" + n);
        Files.write(file, ColdStartQueues.sqsEvent(List.of(accepted), queueArn));
      }

      public Sample check(Sample s, boolean bare) {
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(accepted.receiptHandle()));
        List<String> types = ColdStartQueues.takePlatform(stack, toPlatform, bare ? 0 : 1);
        boolean expected = bare ? types.isEmpty() : !types.isEmpty();
        return s.checked(s.failures() + "/" + types.size(), s.failures() == 0 && s.records() == 1 && expected);
      }
    };
  }

  static Fixture delivery(LocalStack stack, String queueUrl, String queueArn, String tenant, String tag) {
    return new Fixture() {
      private Message accepted;

      public String kind() {
        return "sqs";
      }

      public String describe() {
        return "SQSEvent of 1 record: an ehr.result.available event (new id per spawn) from " + queueUrl
            + ", POSTed signed to the platform simulator; result = batch failures (0)";
      }

      public void prepare(Path file, int n) throws Exception {
        String id = "ehr-bench-" + tag + "-" + n;
        String body = "{\"eventId\":\"" + id + "\",\"type\":\"ehr.result.available\",\"occurredAt\":\""
            + Instant.now() + "\",\"tenant\":\"" + tenant + "\",\"patient\":{\"platformPatientId\":\"bench-pat-0\"},"
            + "\"data\":{}}";
        stack.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageGroupId(tenant + "#bench-pat-0")
            .messageDeduplicationId(id).messageAttributes(Map.of(
                "eventId", ColdStartQueues.text(id), "eventType", ColdStartQueues.text("ehr.result.available"),
                "tenant", ColdStartQueues.text(tenant))));
        accepted = ColdStartQueues.receive(stack, queueUrl, id);
        Files.write(file, ColdStartQueues.sqsEvent(List.of(accepted), queueArn));
      }

      public Sample check(Sample s, boolean bare) {
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(accepted.receiptHandle()));
        return s.checked(Integer.toString(s.failures()), s.failures() == 0 && s.records() == 1);
      }
    };
  }

  static Fixture contextPull(LocalStack stack, String tenant, String patient, String toPlatform) {
    return new Fixture() {
      public String kind() {
        return "stream";
      }

      public String describe() {
        return "an on-demand pull {tenant, patientId, appointmentId, onDemand} of the seeded chart (MRN " + SAMPLE_MRN
            + ") from the local FHIR server; result = 200 when the answer is patient.context.ready";
      }

      public void adjust(Map<String, String> env) {
        env.put("CONTEXT_CACHE_SECONDS", "0");
      }

      public void prepare(Path file, int n) throws Exception {
        Files.writeString(file, "{\"tenant\":\"" + tenant + "\",\"patientId\":\"" + patient
            + "\",\"appointmentId\":\"bench-apt-" + n + "\",\"onDemand\":true}");
      }

      public Sample check(Sample s, boolean bare) {
        List<String> types = ColdStartQueues.takePlatform(stack, toPlatform, bare ? 0 : 1);
        return s.checked(s.status() + "/" + types.size(), bare || (s.status() == 200 && types.size() == 1));
      }
    };
  }

  static Fixture contextRequest(LocalStack stack, ApiRoute route, String tenant, String patient, String toPlatform) {
    return new Fixture() {
      public String kind() {
        return "api";
      }

      public String describe() {
        return "API Gateway v2 event: a signed context request for the patient linked to the seeded chart (MRN "
            + SAMPLE_MRN + "), the cache off: a pull from the local FHIR server (200, or 202 when slower than the wait)";
      }

      public void adjust(Map<String, String> env) {
        env.put("CONTEXT_CACHE_SECONDS", "0");
      }

      public void prepare(Path file, int n) throws Exception {
        Files.write(file, apiEvent(stack, route, ("{\"tenant\":\"" + tenant + "\",\"patientId\":\"" + patient + "\"}")
            .getBytes(StandardCharsets.UTF_8)));
      }

      public Sample check(Sample s, boolean bare) {
        ColdStartQueues.takePlatform(stack, toPlatform, 0); // a pull also delivers the event: not counted here
        return s.checked(Integer.toString(s.status()), bare ? s.status() == 202 : s.status() == 200 || s.status() == 202);
      }
    };
  }

  /** The API Gateway v2 event the local API would build for this body, signed now with the dev secret. */
  static byte[] apiEvent(LocalStack stack, ApiRoute route, byte[] body) {
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

  /** The URL and ARN of the queue of the function's (first) SQS event in the template. */
  static String[] sqsTrigger(LocalStack stack, String functionId) {
    TemplateResource resource = stack.template().resource(functionId);
    if (resource != null && resource.properties().get("Events") instanceof Map<?, ?> events) {
      for (Object definition : events.values()) {
        if (definition instanceof Map<?, ?> def && "SQS".equals(String.valueOf(def.get("Type")))
            && def.get("Properties") instanceof Map<?, ?> props && props.get("Queue") != null) {
          String arn = String.valueOf(stack.resolver().resolve(props.get("Queue")));
          for (String logicalId : stack.queueUrls().keySet()) {
            if (arn.equals(stack.queueArn(logicalId))) {
              return new String[] {stack.queueUrl(logicalId), arn};
            }
          }
          throw new IllegalStateException(functionId + ": its SQS event's queue " + arn + " is not in the template");
        }
      }
    }
    throw new IllegalStateException(functionId + " has neither an API route nor an SQS event");
  }

  /**
   * A platform patient registered as the to-EHR path does, then {@code mrn} linked to it (an EHR
   * registration echoing its id), so the function has someone to deliver to or pull for.
   */
  static void link(LocalStack stack, Map<String, String> env, String tenant, String platformId, Identifier mrn) {
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(stack.adapterDynamoDb(), env.get("IDENTITY_TABLE"));
    new MatchingPatientResolver(store, store.candidateIndex(), MatcherWiring.DEFAULT_PLATFORM_AUTHORITY,
        Clock.systemUTC()).resolve(new ResolveRequest(tenant, new PatientDemographics(platformId,
            // a name and birth date of this run's own: the local stack keeps its tables, and one shared
            // "Bench Coldstart 1980-01-01" matched the previous runs' patients (a review case: never linked)
            new PersonName(List.of("Bench"), "Coldstart" + platformId.replaceAll("[^A-Za-z]", ""), null, null),
            LocalDate.of(1930, 1, 1).plusDays(Math.floorMod(platformId.hashCode(), 30_000)),
            Sex.UNKNOWN, List.of(), null, null, null), "bench-register-" + platformId, "{}", null));
    List<String> linked = MatcherWiring.ehrPatientIndex(store, store.candidateIndex()).upsert(tenant,
        new EhrPatient(List.of(mrn), new PatientDemographics(platformId, null, null, null, List.of(), null, null, null)));
    if (linked.isEmpty()) {
      throw new IllegalStateException("could not link MRN " + mrn.value() + " to the platform patient " + platformId);
    }
  }

  /** The function under test must exist and have its jar built. */
  static LocalFunction deployable(LocalStack stack, String functionId) {
    LocalFunction function = stack.function(functionId);
    if (function.spec().codeJar() == null || !Files.isRegularFile(function.spec().codeJar())) {
      throw new IllegalStateException(functionId + ": no deployable jar at " + function.spec().codeJar()
          + " (mvn package first)");
    }
    return function;
  }
}
