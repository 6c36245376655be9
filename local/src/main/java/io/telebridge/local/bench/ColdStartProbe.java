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
 * deserialises one event (API Gateway v2, or an SQS batch) with the serializers the Lambda Java
 * runtime uses, invokes once, serialises the answer, prints one {@code PROBE} line and exits.
 *
 * <pre>
 *   java -cp intake.jar:probe.jar io.telebridge.local.bench.ColdStartProbe HANDLER_CLASS EVENT_JSON_FILE [api|sqs|stream] [primed]
 * </pre>
 *
 * {@code api} (the default): {@code APIGatewayV2HTTPEvent} in, {@code APIGatewayV2HTTPResponse}
 * out, {@code status} = its status code. {@code sqs}: {@code SQSEvent} in, {@code SQSBatchResponse}
 * out, {@code status} = 0, {@code failures} = the number of {@code batchItemFailures}. {@code stream}: a
 * {@code RequestStreamHandler} (the context pull: plain JSON in and out), {@code status} = 200 when the
 * answer names {@code patient.context.ready}, 0 otherwise.
 *
 * <p>{@code primed}: after the constructor, what a SnapStart snapshot and restore run — every
 * {@code org.crac} resource the handler registered through {@code io.telebridge.aws.Priming}, its
 * {@code beforeCheckpoint} then its {@code afterRestore} ({@code Priming.checkpointRestore()}, called by
 * name: the function jar has it) — timed apart ({@code primeNanos}); the invoke after it is what the first
 * request after a restore costs, less what the restore itself costs.
 *
 * Depends on the JDK, aws-lambda-java-core/-events (in the function jar) and
 * aws-lambda-java-serialization only, so that nothing of the local stack is loaded. The event
 * classes are named, not referenced, here: the function jars are minimised and carry only the
 * event classes their handler uses. The PROBE line: status, epoch milliseconds at main entry and
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
  public static void main(String[] args) throws Exception {
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
      Class.forName("io.telebridge.aws.Priming").getMethod("checkpointRestore").invoke(null);
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
    if (kind.equals("stream")) {
      tDeser = System.nanoTime(); // a stream handler reads its own input
      ((RequestStreamHandler) instance).handleRequest(new ByteArrayInputStream(eventJson), answer, new ProbeContext());
      tHandled = System.nanoTime();
      status = answer.toString(StandardCharsets.UTF_8).contains("\"patient.context.ready\"") ? 200 : 0;
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
