package io.telebridge.aws;

import io.telebridge.aws.dynamodb.DynamoDb;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SnapStart priming, the one way for every function: a CRaC {@link Resource} (the {@code org.crac}
 * API the Lambda runtime honours) whose {@link #beforeCheckpoint} runs the function's priming steps
 * before the snapshot is taken, so the first real invoke after a restore finds its classes loaded,
 * its SDK clients connected and its code paths run once; {@link #afterRestore} runs what must not be
 * cloned across restored copies (caches of secrets, seeds).
 *
 * <p>A step must have no side effect: no queue send, no table write, no EHR or platform call. The
 * steps used here are reads (a queue's attributes, a table's description, a secret), a request
 * refused early (a bad signature: answered 401 before anything is stored) and the translation alone on
 * a synthetic event. A step that fails is logged by its name and the exception's class (never a
 * message: no PHI) and the next one runs: priming is an optimisation and never fails a publish.
 *
 * <p>Handlers register in their Lambda (no-arg) constructor only; the local stack's constructors do
 * not. The CRaC context may hold resources weakly, so the registered ones are also kept here.
 * {@link #checkpointRestore()} runs what a snapshot and a restore would, in this process: the cold
 * start bench's {@code primed} mode and the tests use it.
 */
public final class Priming implements Resource {

  private static final System.Logger LOG = System.getLogger(Priming.class.getName());

  /** Registered resources, strongly held (the CRaC global context may hold them weakly). */
  private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

  /** One priming step; it must not send, write or call out (see the class comment). */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private record Named(String name, Step step) {}

  private final String function;
  private final List<Named> steps;
  private final List<Runnable> afterRestore;
  private volatile int lastPrimed = -1;

  private Priming(String function, List<Named> steps, List<Runnable> afterRestore) {
    this.function = function;
    this.steps = List.copyOf(steps);
    this.afterRestore = List.copyOf(afterRestore);
  }

  /** Starts the priming of one function (its name is only logged). */
  public static Builder of(String function) {
    return new Builder(function);
  }

  /** Builds a function's priming: steps in order, then the after-restore actions. */
  public static final class Builder {
    private final String function;
    private final List<Named> steps = new ArrayList<>();
    private final List<Runnable> afterRestore = new ArrayList<>();

    private Builder(String function) {
      this.function = function;
    }

    public Builder step(String name, Step step) {
      steps.add(new Named(name, step));
      return this;
    }

    public Builder afterRestore(Runnable action) {
      afterRestore.add(action);
      return this;
    }

    /** Without registering (tests; a caller that runs {@link #prime()} itself). */
    public Priming build() {
      return new Priming(function, steps, afterRestore);
    }

    /** Registers with the CRaC global context (Lambda calls it at snapshot and restore). */
    public Priming register() {
      return register(Core.getGlobalContext()::register);
    }

    /** Registers with {@code context} (tests: a recording context). */
    public Priming register(Consumer<Resource> context) {
      Priming priming = build();
      REGISTERED.add(priming);
      context.accept(priming);
      return priming;
    }
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    restored();
  }

  /** Runs every step; returns how many completed (a failed one is logged and skipped). */
  public int prime() {
    long t0 = System.nanoTime();
    int done = 0;
    for (Named s : steps) {
      try {
        s.step().run();
        done++;
      } catch (Exception | LinkageError e) {
        LOG.log(Level.WARNING, "priming {0}: step {1} failed: {2}", function, s.name(), e.getClass().getName());
      }
    }
    lastPrimed = done;
    LOG.log(Level.INFO, "priming {0}: {1}/{2} steps in {3} ms", function, done, steps.size(),
        (System.nanoTime() - t0) / 1_000_000);
    return done;
  }

  /** Runs the after-restore actions (each guarded like a step). */
  public void restored() {
    for (Runnable r : afterRestore) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "priming {0}: after restore: {1}", function, e.getClass().getName());
      }
    }
  }

  /** Steps completed by the last {@link #prime()}, -1 before any. */
  public int lastPrimed() {
    return lastPrimed;
  }

  public String function() {
    return function;
  }

  /**
   * What a SnapStart snapshot and restore would run, in this process: every registered resource's
   * {@code beforeCheckpoint}, then every one's {@code afterRestore}. Returns the steps completed.
   */
  public static int checkpointRestore() {
    int done = 0;
    for (Priming p : REGISTERED) {
      done += p.prime();
    }
    for (Priming p : REGISTERED) {
      p.restored();
    }
    return done;
  }

  /** The steps of every resource registered in this process (what {@link #checkpointRestore()} would run). */
  public static int registeredSteps() {
    return REGISTERED.stream().mapToInt(p -> p.steps.size()).sum();
  }

  /** The resources registered in this process (tests). */
  static List<Priming> registered() {
    return List.copyOf(REGISTERED);
  }

  /**
   * A client of the same service, region, credentials, endpoint and timeouts as {@code live} whose
   * requests are marshalled, signed and "sent" to an HTTP client that sends nothing: every request is
   * answered 200 with what an empty table would answer (an empty JSON object; a Query or Scan: no items). Through it a priming step runs the adapters' write paths
   * (PutItem, UpdateItem, SendMessage: their marshallers, the signer, the response handling) with no
   * side effect. Not for the invoke path.
   */
  public static DynamoDb unsent(DynamoDb live) {
    return live.over(new Unsent());
  }

  /** The SQS client of {@link #unsent(DynamoDb)}'s kind: nothing reaches the queue. */
  public static SqsClient unsent(SqsClient live) {
    var c = live.serviceClientConfiguration();
    var b = SqsClient.builder().region(c.region()).credentialsProvider(c.credentialsProvider())
        .overrideConfiguration(c.overrideConfiguration()).httpClient(new Unsent())
        .checksumValidationEnabled(false); // the answer {} carries no MD5 of the body it never received
    c.endpointOverride().ifPresent(b::endpointOverride);
    return b.build();
  }

  /**
   * What the service would answer to a request that found nothing: a Query or Scan names its count (DynamoDB
   * always does; the adapters read it), anything else is an empty object.
   */
  static String answerTo(String target) {
    return target.endsWith(".Query") || target.endsWith(".Scan") ? "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}" : "{}";
  }

  /** An SDK HTTP client that sends nothing: reads the request body, answers 200 with {@link #answerTo}. */
  static final class Unsent implements software.amazon.awssdk.http.SdkHttpClient {
    @Override
    public software.amazon.awssdk.http.ExecutableHttpRequest prepareRequest(
        software.amazon.awssdk.http.HttpExecuteRequest request) {
      return new software.amazon.awssdk.http.ExecutableHttpRequest() {
        @Override
        public software.amazon.awssdk.http.HttpExecuteResponse call() throws java.io.IOException {
          if (request.contentStreamProvider().isPresent()) {
            try (var in = request.contentStreamProvider().get().newStream()) {
              in.transferTo(java.io.OutputStream.nullOutputStream());
            }
          }
          byte[] body = answerTo(request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(""))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          return software.amazon.awssdk.http.HttpExecuteResponse.builder()
              .response(software.amazon.awssdk.http.SdkHttpResponse.builder().statusCode(200)
                  .putHeader("Content-Type", "application/x-amz-json-1.0")
                  .putHeader("Content-Length", Integer.toString(body.length)).build())
              .responseBody(software.amazon.awssdk.http.AbortableInputStream.create(
                  new java.io.ByteArrayInputStream(body)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }

  /**
   * A read of a queue (its ARN): the SQS client's signing, connection and JSON protocol, nothing sent.
   * A role without {@code sqs:GetQueueAttributes} on that queue answers AccessDenied: still a full round
   * trip (connection, signing, the error's unmarshalling), so it counts as done.
   */
  public static Step queueRead(SqsClient sqs, String queueUrl) {
    return () -> {
      if (queueUrl != null && !queueUrl.isBlank()) {
        deniedIsDone(() -> sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)));
      }
    };
  }

  /** A read of a table's description (the DynamoDB client's signing, connection and protocol); AccessDenied as above. */
  public static Step tableRead(DynamoDb dynamo, String table) {
    return () -> {
      if (table != null && !table.isBlank()) {
        try {
          dynamo.describeTable(table);
        } catch (io.telebridge.aws.dynamodb.DynamoDbException e) {
          if (e.statusCode() != 403 && (e.code() == null || !e.code().contains("AccessDenied"))) {
            throw e;
          }
        }
      }
    };
  }

  private static void deniedIsDone(Runnable read) {
    try {
      read.run();
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (e.statusCode() != 403 && (code == null || !code.contains("AccessDenied"))) {
        throw e;
      }
    }
  }
}
