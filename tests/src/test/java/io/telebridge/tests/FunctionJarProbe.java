package io.telebridge.tests;

import io.telebridge.aws.AwsClients;
import io.telebridge.aws.AwsSettings;
import io.telebridge.aws.Priming;
import io.telebridge.aws.S3PayloadStore;
import io.telebridge.core.claimcheck.ClaimCheck;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs in a fresh JVM with a function's deployable jar alone on the classpath (and this class): spawned by
 * {@link FunctionJarsIT}. Constructs the handler with the function's environment (its whole wiring: every
 * client, store and reader it builds at init), then calls each AWS service the function uses through the
 * jar's own SDK modules against the local stack's real peers (ElasticMQ, moto), and checks that what the
 * function must not carry is absent; last, builds the handler through Lambda's no-arg entry and runs its SnapStart
 * priming ({@code JARPROBE primed done/steps}). Prints one {@code JARPROBE} line per check; exits 1 on the first failure.
 *
 * <pre>
 *   java -cp intake.jar:test-classes io.telebridge.tests.FunctionJarProbe HANDLER uses=sqs,dynamodb,... absent=CLASS,...
 * </pre>
 * Only the JDK and the function jar are on the classpath: this class references the shared adapters
 * (io.telebridge.aws), which the jar carries, and nothing of the tests or the local stack.
 */
public final class FunctionJarProbe {

  private FunctionJarProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    Class.forName(args[0]).getConstructor(Map.class).newInstance(env);
    System.out.println("JARPROBE init " + args[0]);
    AwsClients clients = AwsClients.shared(AwsSettings.fromEnvironment(env));
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      String[] kv = arg.split("=", 2);
      for (String item : kv[1].isEmpty() ? new String[0] : kv[1].split(",")) {
        if (kv[0].equals("uses")) {
          System.out.println("JARPROBE call " + item + " " + call(item, clients, env));
        } else {
          try {
            Class.forName(item);
            System.out.println("JARPROBE present " + item);
            System.exit(1);
          } catch (ClassNotFoundException expected) {
            System.out.println("JARPROBE absent " + item);
          }
        }
      }
    }
    // Lambda's entry (the no-arg constructor registers the SnapStart priming), then what a snapshot and a
    // restore run: every step must complete, or the path it primes stays cold after a restore
    Class.forName(args[0]).getConstructor().newInstance();
    int done = Priming.checkpointRestore();
    System.out.println("JARPROBE primed " + done + "/" + Priming.registeredSteps());
  }

  private static String call(String service, AwsClients clients, Map<String, String> env) {
    return switch (service) {
      case "sqs" -> clients.sqs().listQueues().queueUrls().size() + " queues";
      case "dynamodb" -> {
        String table = env.entrySet().stream().filter(e -> e.getKey().endsWith("_TABLE") && !e.getValue().isBlank())
            .map(Map.Entry::getValue).sorted().findFirst().orElseThrow(() -> new IllegalStateException("no *_TABLE"));
        yield "table " + clients.dynamoDb().describeTable(table).tableStatus();
      }
      case "secretsmanager" -> clients.secretsManager().listSecrets().secretList().size() + " secrets";
      case "scheduler" -> clients.scheduler().listScheduleGroups(b -> {}).scheduleGroups().size() + " schedule groups";
      case "s3" -> {
        S3PayloadStore store = new S3PayloadStore(S3PayloadStore.client(AwsSettings.fromEnvironment(env)),
            env.get("PAYLOAD_BUCKET"), env.get("DATA_KEY_ARN"));
        byte[] payload = ("jar probe " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        ClaimCheck check = store.put("probe/jar-" + System.nanoTime(), payload);
        if (!Arrays.equals(payload, store.get(check))) {
          throw new IllegalStateException("S3 round trip returned other bytes");
        }
        yield "put and get " + payload.length + " bytes";
      }
      default -> throw new IllegalArgumentException("unknown service " + service);
    };
  }
}
