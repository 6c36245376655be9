package io.telebridge.local.bench;

import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.local.Cli;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.aws.AwsClients;
import io.telebridge.matching.bench.MatchBenchmark;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./tb bench match --store dynamodb [--endpoint URL --table NAME] ...}: the matching benchmark
 * on the identity table through {@link DynamoDbIdentityStore}, the adapter the functions use. Without
 * {@code --endpoint} it starts its own local stack (moto) for the run; with it, it uses the table at
 * that endpoint (a running {@code ./tb local}: http://127.0.0.1:5000 and the table whose name contains
 * IdentityTable). Each run writes under a fresh tenant, so runs never see each other's records. The
 * other options are those of the in-memory command (see MatchBenchmark).
 *
 * <p>moto answers every Query by walking the whole table, so keep the input small (dataset1, or a
 * generated set of a few hundred people); the figures it prints are correctness figures, its
 * latencies are moto's.
 */
public final class MatchBench {

  private MatchBench() {}

  public static void main(String[] argv) throws Exception {
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    String store = Cli.option(args, "--store", "memory");
    if (store.equals("memory")) {
      MatchBenchmark.main(args.toArray(String[]::new));
      return;
    }
    if (!store.equals("dynamodb")) {
      System.err.println("bench match: --store memory|dynamodb");
      System.exit(2);
    }
    String endpoint = Cli.option(args, "--endpoint", null);
    String table = Cli.option(args, "--table", null);
    LocalStack stack = null;
    io.telebridge.aws.dynamodb.DynamoDb dynamo;
    if (endpoint == null) {
      Path root = Path.of(System.getProperty("telebridge.root", ".")).toAbsolutePath();
      stack = LocalStack.start(LocalStackOptions.forTests(root.resolve("template.yaml")).runFunctions(false));
      dynamo = stack.adapterDynamoDb();
      table = stack.tableName("IdentityTable");
    } else {
      dynamo = AwsClients.adapterDynamoDb(URI.create(endpoint));
      if (table == null) {
        table = AwsClients.dynamoDb(URI.create(endpoint)).listTables().tableNames().stream().filter(n -> n.contains("IdentityTable")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no IdentityTable at " + endpoint + "; pass --table"));
      }
    }
    String t = table;
    try {
      System.out.println("store: DynamoDB table " + table + (endpoint == null ? " on the local stack's moto" : " at " + endpoint));
      MatchBenchmark.main(args.toArray(String[]::new), () -> {
        DynamoDbIdentityStore s = new DynamoDbIdentityStore(dynamo, t);
        return new MatchBenchmark.Stores(s, s.candidateIndex());
      });
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }
}
