package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
 * no-arg constructor (as the Lambda runtime does; the handler reads {@code System.getenv()}),
 * deserialises one API Gateway v2 event with the serializers the Lambda Java runtime uses,
 * invokes once, serialises the answer, prints one {@code PROBE} line and exits.
 *
 * <pre>
 *   java -cp intake.jar:probe.jar io.telebridge.local.bench.ColdStartProbe HANDLER_CLASS EVENT_JSON_FILE
 * </pre>
 *
 * Depends on the JDK, aws-lambda-java-core/-events (in the function jar) and
 * aws-lambda-java-serialization only, so that nothing of the local stack is loaded. The PROBE
 * line: status, epoch milliseconds at main entry and at first response, the JVM start time
 * (RuntimeMXBean, read after the response so that loading JMX is not counted), and the phases.
 */
public final class ColdStartProbe {

  private ColdStartProbe() {}

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    long mainAtMillis = System.currentTimeMillis();
    long t0 = System.nanoTime();

    // init: what Lambda's Init phase does for a Java handler (load the class, run its constructor)
    Class<?> type = Class.forName(args[0]);
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler =
        (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) type.getConstructor().newInstance();
    long t1 = System.nanoTime();

    // the event arrives (here: from a file; on Lambda: from the Runtime API)
    byte[] eventJson = Files.readAllBytes(Path.of(args[1]));
    long t2 = System.nanoTime();

    // invoke: deserialise as the runtime does, handle, serialise the answer
    PojoSerializer<APIGatewayV2HTTPEvent> in = serializer(APIGatewayV2HTTPEvent.class);
    APIGatewayV2HTTPEvent event = in.fromJson(new ByteArrayInputStream(eventJson));
    long tDeser = System.nanoTime();
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, new ProbeContext());
    long tHandled = System.nanoTime();
    PojoSerializer<APIGatewayV2HTTPResponse> out = serializer(APIGatewayV2HTTPResponse.class);
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    out.toJson(response, answer);
    long t3 = System.nanoTime();
    long respondedAtMillis = System.currentTimeMillis();

    long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("PROBE status=" + response.getStatusCode()
        + " jvmStart=" + jvmStartMillis
        + " mainAt=" + mainAtMillis
        + " respondedAt=" + respondedAtMillis
        + " initNanos=" + (t1 - t0)
        + " readNanos=" + (t2 - t1)
        + " invokeNanos=" + (t3 - t2)
        + " deserNanos=" + (tDeser - t2)
        + " handleNanos=" + (tHandled - tDeser)
        + " answerBytes=" + answer.size());
    System.out.flush();
    if (response.getStatusCode() != 202) {
      System.err.println("probe: answer " + answer.toString(StandardCharsets.UTF_8));
    }
    System.exit(0);
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
    private static final Map<String, String> ENV = System.getenv();

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
      return 10_000;
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
