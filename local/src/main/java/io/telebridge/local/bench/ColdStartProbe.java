package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs in a fresh JVM (spawned by {@link ColdStartBench}): loads a handler through its public
 * no-arg constructor (as the Lambda runtime does; the handler reads the process environment through {@code ProcessEnvironment}),
 * hands it one event (API Gateway v2, an SQS batch, or the context pull's JSON) the way the Lambda Java
 * runtime does, invokes once, takes the answer, prints one {@code PROBE} line and exits.
 *
 * <pre>
 *   java -cp intake.jar:probe.jar io.telebridge.local.bench.ColdStartProbe HANDLER_CLASS EVENT_JSON_FILE [api|sqs|stream] [primed]
 * </pre>
 *
 * A {@code RequestStreamHandler} (every function since the stream entry, and the bare stream baselines)
 * gets the event's bytes and writes the answer's bytes, as Lambda hands them over: {@code deser} is then
 * the handover alone, and the handler's own reading and writing are in {@code handle}. A POJO
 * {@code RequestHandler} (the bare POJO baselines) gets the event deserialised by the runtime's
 * serializers, as before. {@code api} (the default): an API Gateway v2 event in, its answer's
 * {@code statusCode} = {@code status}. {@code sqs}: an SQS event in, {@code status} = 0, {@code failures}
 * = the number of {@code batchItemFailures}. {@code stream}: the context pull (plain JSON in and out),
 * {@code status} = 200 when the answer names {@code patient.context.ready}, 0 otherwise.
 *
 * <p>{@code primed}: after the constructor, what a SnapStart snapshot and restore run — every
 * {@code org.crac} resource the handler registered through {@code io.telebridge.aws.Priming}, its
 * {@code beforeCheckpoint} then its {@code afterRestore} ({@code Priming.checkpointRestore()}, called by
 * name through a method handle: the function jar has it) — timed apart ({@code primeNanos}); the invoke after it is what the first
 * request after a restore costs, less what the restore itself costs.
 *
 * Depends on the JDK, aws-lambda-java-core (in the function jar) and, for the bare POJO baselines only,
 * aws-lambda-java-serialization, -events and joda-time (in the probe jar: the function jars no longer
 * carry them), so that nothing of the local stack is loaded. The event classes are named, not
 * referenced, here: a stream handler's run never loads them. The PROBE line: status, epoch milliseconds at main entry and
 * at first response, the JVM start time (RuntimeMXBean, read after the response so that loading
 * JMX is not counted), and the phases.
 */
public final class ColdStartProbe {

  private ColdStartProbe() {}

  static final String API_EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
  static final String API_RESPONSE = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse";
  static final String SQS_EVENT = "com.amazonaws.services.lambda.runtime.events.SQSEvent";
  static final String SQS_RESPONSE = "com.amazonaws.services.lambda.runtime.events.SQSBatchResponse";

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Throwable {
    long mainAtMillis = System.currentTimeMillis();
    long t0 = System.nanoTime();

    // init: what Lambda's Init phase does for a Java handler (load the class, run its constructor)
    Class<?> type = Class.forName(args[0]);
    Object instance = type.getConstructor().newInstance();
    long t1 = System.nanoTime();
    boolean primed = args.length > 3 && args[3].equals("primed");
    long primeNanos = 0;
    if (primed) {
      // the snapshot's beforeCheckpoint and the restore's afterRestore, as SnapStart runs them
      // a method handle on the one method: Class.getMethod resolves every public method's signature, so a
      // public method naming an optional SDK module would fail in a jar without that module
      java.lang.invoke.MethodHandles.publicLookup().findStatic(Class.forName("io.telebridge.aws.Priming"),
          "checkpointRestore", java.lang.invoke.MethodType.methodType(int.class)).invoke();
      primeNanos = System.nanoTime() - t1;
    }
    t1 = System.nanoTime();

    // the event arrives (here: from a file; on Lambda: from the Runtime API)
    byte[] eventJson = Files.readAllBytes(Path.of(args[1]));
    String kind = args.length > 2 ? args[2] : "api";
    boolean sqs = kind.equals("sqs");
    long t2 = System.nanoTime();

    // invoke: deserialise as the runtime does, handle, serialise the answer
    long tDeser;
    long tHandled;
    int status;
    int records = 1;
    int failures = 0;
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    if (instance instanceof RequestStreamHandler stream) {
      // what Lambda does for a stream handler: the event's bytes handed over, the answer's bytes taken back
      // (deser = the handover alone; the handler reads its own input inside handle)
      ByteArrayInputStream in = new ByteArrayInputStream(eventJson);
      tDeser = System.nanoTime();
      stream.handleRequest(in, answer, new ProbeContext());
      tHandled = System.nanoTime();
      status = 0;
    } else {
      RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) instance;
      PojoSerializer<Object> in = serializer((Class<Object>) Class.forName(sqs ? SQS_EVENT : API_EVENT));
      Object event = in.fromJson(new ByteArrayInputStream(eventJson));
      tDeser = System.nanoTime();
      Object response = handler.handleRequest(event, new ProbeContext());
      tHandled = System.nanoTime();
      PojoSerializer<Object> out = serializer((Class<Object>) Class.forName(sqs ? SQS_RESPONSE : API_RESPONSE));
      out.toJson(response, answer);
      status = sqs ? 0 : Api.status(response);
      failures = sqs ? Sqs.failures(response) : 0;
      records = sqs ? Sqs.records(event) : 1;
    }
    long t3 = System.nanoTime();
    long respondedAtMillis = System.currentTimeMillis();

    if (instance instanceof RequestStreamHandler) {
      // read from the answer's and the event's JSON text after the clock stopped (no JSON library here)
      String text = answer.toString(StandardCharsets.UTF_8);
      if (kind.equals("stream")) {
        status = text.contains("\"patient.context.ready\"") ? 200 : 0;
      } else if (sqs) {
        failures = count(text, "\"itemIdentifier\"");
        records = count(new String(eventJson, StandardCharsets.UTF_8), "\"messageId\"");
      } else {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)").matcher(text);
        status = m.find() ? Integer.parseInt(m.group(1)) : 0;
      }
    }
    long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("PROBE status=" + status
        + " failures=" + failures
        + " records=" + records
        + " jvmStart=" + jvmStartMillis
        + " mainAt=" + mainAtMillis
        + " respondedAt=" + respondedAtMillis
        + " initNanos=" + (t1 - t0 - primeNanos)
        + " primeNanos=" + primeNanos
        + " readNanos=" + (t2 - t1)
        + " invokeNanos=" + (t3 - t2)
        + " deserNanos=" + (tDeser - t2)
        + " handleNanos=" + (tHandled - tDeser)
        + " answerBytes=" + answer.size());
    System.out.flush();
    if ((kind.equals("api") && status != 202 && status != 200) || failures != 0) {
      System.err.println("probe: answer " + answer.toString(StandardCharsets.UTF_8));
    }
    System.exit(0);
  }

  /** Occurrences of {@code key} not inside a JSON string (an escaped quote before it: inside a body). */
  static int count(String json, String key) {
    int n = 0;
    for (int i = json.indexOf(key); i >= 0; i = json.indexOf(key, i + 1)) {
      if (i == 0 || json.charAt(i - 1) != '\\') {
        n++;
      }
    }
    return n;
  }

  /** Loaded only for API events (the intake jar has no SQS classes). */
  static final class Api {
    static int status(Object response) {
      return ((APIGatewayV2HTTPResponse) response).getStatusCode();
    }
  }

  /** Loaded only for SQS events (the translator jar has no API Gateway classes). */
  static final class Sqs {
    static int failures(Object response) {
      SQSBatchResponse r = (SQSBatchResponse) response;
      return r == null || r.getBatchItemFailures() == null ? 0 : r.getBatchItemFailures().size();
    }

    static int records(Object event) {
      SQSEvent e = (SQSEvent) event;
      return e.getRecords() == null ? 0 : e.getRecords().size();
    }
  }

  /** As the runtime's EventHandlerLoader: LambdaEventSerializers for its events, else JacksonFactory. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> PojoSerializer<T> serializer(Class<T> type) {
    if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
      return LambdaEventSerializers.serializerFor((Class) type, ColdStartProbe.class.getClassLoader());
    }
    return (PojoSerializer<T>) JacksonFactory.getInstance().getSerializer(type);
  }

  static final class ProbeContext implements Context {
    private static final Map<String, String> ENV = io.telebridge.core.config.ProcessEnvironment.read();

    @Override
    public String getAwsRequestId() {
      return "probe-" + ProcessHandle.current().pid();
    }

    @Override
    public String getLogGroupName() {
      return ENV.getOrDefault("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/probe");
    }

    @Override
    public String getLogStreamName() {
      return "probe";
    }

    @Override
    public String getFunctionName() {
      return ENV.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "probe");
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:" + getFunctionName();
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 60_000; // the longest function timeout in template.yaml (the context pull): no record is handed back for time
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.write(message, 0, message.length);
        }
      };
    }
  }
}
