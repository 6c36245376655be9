package io.telebridge.tests;

import io.telebridge.aws.DynamoDbCandidateIndex;
import io.telebridge.local.LocalStack;
import io.telebridge.local.LocalStackOptions;
import io.telebridge.local.aws.AwsClients;
import io.telebridge.matching.BlockingKeys;
import io.telebridge.matching.CandidateIndex;
import io.telebridge.matching.InMemoryCandidateIndex;
import io.telebridge.matching.Nicknames;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.PatientMatcher;
import io.telebridge.matching.bench.BenchRecord;
import io.telebridge.matching.bench.UsPopulationGenerator;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Match latency, in-memory index and DynamoDB index (moto), over the same generated US population:
 * the originals are loaded as patients (DynamoDB: {@link DynamoDbCandidateIndex#bulkLoad}), then
 * duplicates and other records are matched (read only) and timed.
 *
 * <pre>
 * CandidateIndexLatency [--patients N] [--probes M] [--index dynamodb|memory|both]
 *                       [--endpoint http://127.0.0.1:5000 --table NAME [--no-load]]   (else starts its own local stack)
 * </pre>
 */
public final class CandidateIndexLatency {

  public static void main(String[] args) throws Exception {
    List<String> a = new java.util.ArrayList<>(Arrays.asList(args));
    int people = Integer.parseInt(opt(a, "--patients", "100000"));
    int probeCount = Integer.parseInt(opt(a, "--probes", "1000"));
    String which = opt(a, "--index", "both");
    String endpoint = opt(a, "--endpoint", null);
    String table = opt(a, "--table", null);
    boolean noLoad = a.remove("--no-load"); // the table at --endpoint already holds this population (same seed)

    List<BenchRecord> all = UsPopulationGenerator.records(people, UsPopulationGenerator.DEFAULT_SEED);
    Nicknames nicknames = Nicknames.bundled();
    PatientMatcher normalizer = new PatientMatcher(new InMemoryCandidateIndex());
    List<DynamoDbCandidateIndex.Filing> filings = new ArrayList<>();
    List<NormalizedPerson> probes = new ArrayList<>();
    for (BenchRecord r : all) {
      NormalizedPerson p = normalizer.normalize(r.toInput(true));
      if (r.recId().endsWith("-org")) {
        filings.add(new DynamoDbCandidateIndex.Filing("P" + (filings.size() + 1), p, BlockingKeys.of(p, nicknames)));
      } else if (probes.size() < probeCount) {
        probes.add(p);
      }
    }
    System.out.printf(Locale.ROOT, "population: %d patients, %d probes%n", filings.size(), probes.size());

    if (!which.equals("dynamodb")) {
      InMemoryCandidateIndex memory = new InMemoryCandidateIndex();
      for (DynamoDbCandidateIndex.Filing f : filings) {
        memory.file(f.patientId(), f.record(), f.keys());
      }
      time("in-memory", memory, filings.size(), probes, Math.min(2_000, probes.size()));
    }
    if (!which.equals("memory")) {
      LocalStack stack = null;
      io.telebridge.aws.dynamodb.DynamoDb dynamo;
      if (endpoint != null) {
        dynamo = AwsClients.adapterDynamoDb(URI.create(endpoint));
        if (table == null) {
          throw new IllegalArgumentException("--endpoint needs --table (the IdentityTable's physical name)");
        }
      } else {
        stack = LocalStack.start(LocalStackOptions.forTests(Path.of("template.yaml").toAbsolutePath()).runFunctions(false));
        dynamo = stack.adapterDynamoDb();
        table = stack.tableName("IdentityTable");
      }
      try {
        DynamoDbCandidateIndex index = new DynamoDbCandidateIndex(dynamo, table);
        if (!noLoad) {
          long t0 = System.nanoTime();
          long items = index.bulkLoad(filings);
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf(Locale.ROOT, "dynamodb bulk load: %d patients, %d items in %.0f s (%.0f items/s)%n",
              filings.size(), items, s, items / s);
        }
        time(endpoint == null ? "dynamodb (moto, local stack)" : "dynamodb (" + endpoint + ")", index, filings.size(), probes, Math.min(10, probes.size()));
      } finally {
        if (stack != null) {
          stack.close();
        }
      }
    }
  }

  private static void time(String name, CandidateIndex index, int patients, List<NormalizedPerson> probes, int warmup) {
    PatientMatcher matcher = new PatientMatcher(index);
    for (int i = 0; i < warmup; i++) {
      matcher.match(probes.get(i));
    }
    long[] ns = new long[probes.size()];
    for (int i = 0; i < probes.size(); i++) {
      long t0 = System.nanoTime();
      matcher.match(probes.get(i));
      ns[i] = System.nanoTime() - t0;
    }
    Arrays.sort(ns);
    System.out.printf(Locale.ROOT, "%s index: %d patients, %d matches, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        name, patients, ns.length, ns[ns.length / 2] / 1e6, ns[(int) (ns.length * 0.99)] / 1e6, ns[ns.length - 1] / 1e6);
  }

  private static String opt(List<String> a, String name, String dflt) {
    int i = a.indexOf(name);
    return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : dflt;
  }
}
