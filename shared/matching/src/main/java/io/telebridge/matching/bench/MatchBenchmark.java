package io.telebridge.matching.bench;

import io.telebridge.core.identity.ResolveRequest;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.matching.CandidateIndex;
import io.telebridge.matching.Decision;
import io.telebridge.matching.MatchInput;
import io.telebridge.matching.mpi.IdentityStore;
import io.telebridge.matching.mpi.InMemoryIdentityStore;
import io.telebridge.matching.mpi.MatchingEhrPatientIndex;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import io.telebridge.matching.InMemoryCandidateIndex;
import io.telebridge.matching.MatchResult;
import io.telebridge.matching.MatchSettings;
import io.telebridge.matching.MatchWeights;
import io.telebridge.matching.Normalizer;
import io.telebridge.matching.WeightEstimator;
import io.telebridge.matching.Nicknames;
import io.telebridge.matching.NormalizedPerson;
import io.telebridge.matching.PatientMatcher;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Feeds CSV records (Febrl columns, optional sex, phone, email, suffix) in file order as successive
 * registrations through {@link PatientMatcher} over an {@link InMemoryCandidateIndex}: LINK files
 * the record under the linked patient, NEW under a fresh patient id, REVIEW parks it (nothing filed).
 * Writes rec_id,decision,patient_id,score; with ground truth (rec-N-org / rec-N-dup-K) prints false
 * merges, duplicates created, review rate and pairwise precision / recall / F1.
 *
 * <pre>
 * java -cp ... io.telebridge.matching.bench.MatchBenchmark [--index 4a.csv] [--out decisions.csv] [--no-ssn] input.csv
 * java -cp ... io.telebridge.matching.bench.MatchBenchmark --febrl DIR [--no-ssn]     (every Febrl set, both modes)
 * java -cp ... io.telebridge.matching.bench.MatchBenchmark --generate-us FILE [--people N] [--seed S]
 * java -cp ... io.telebridge.matching.bench.MatchBenchmark --estimate-weights OUT [--no-ssn] population.csv
 * java -cp ... io.telebridge.matching.bench.MatchBenchmark --weights FILE [--no-ssn] input.csv   (estimated weights)
 * java -cp ... io.telebridge.matching.bench.MatchBenchmark --febrl DIR --weights estimate   (each set's own)
 * java -cp ... io.telebridge.matching.bench.MatchBenchmark --latency 100000 [--seed S]   (in-process p50/p99)
 * </pre>
 *
 * <p>Exploration only: {@code -Dbench.link=} / {@code -Dbench.contactLink=} / {@code -Dbench.review=} override
 * the thresholds, and
 * {@code -Dbench.debug=true} prints, on stderr, the explanation (ids, scores, field names; no
 * demographics) of every false merge and every review of a true duplicate, and the reasons per set.
 */
public final class MatchBenchmark {

  private static final Pattern FEBRL_ID = Pattern.compile("rec-(\\d+)-(org|dup-\\d+)");

  private static final boolean DEBUG = Boolean.getBoolean("bench.debug");
  /** Held strongly: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.telebridge.matching");

  private MatchBenchmark() {}

  public static void main(String[] args) throws IOException {
    main(args, IN_MEMORY);
  }

  /** The command with the given stores (the local module passes DynamoDB on the local stack). */
  public static void main(String[] args, StoreFactory stores) throws IOException {
    QUIET.setLevel(java.util.logging.Level.WARNING);
    List<String> a = new ArrayList<>(Arrays.asList(args));
    boolean noSsn = a.remove("--no-ssn");
    String index = option(a, "--index");
    String out = option(a, "--out");
    String febrl = option(a, "--febrl");
    String generate = option(a, "--generate-us");
    String people = option(a, "--people");
    String seed = option(a, "--seed");
    String latency = option(a, "--latency");
    String estimate = option(a, "--estimate-weights");
    String weightsFile = option(a, "--weights");
    MatchWeights weights = weightsFile == null || febrl != null ? MatchWeights.handSet() : MatchWeights.load(Path.of(weightsFile));
    PrintStream console = System.out;
    if (latency != null) {
      latency(Integer.parseInt(latency), seed == null ? UsPopulationGenerator.DEFAULT_SEED : Long.parseLong(seed), console);
      return;
    }
    if (generate != null) {
      int n = people == null ? 2000 : Integer.parseInt(people);
      long s = seed == null ? UsPopulationGenerator.DEFAULT_SEED : Long.parseLong(seed);
      UsPopulationGenerator.write(Path.of(generate), n, s);
      console.println("wrote " + generate + " (" + n + " people, seed " + s + ")");
      return;
    }
    if (estimate != null) {
      if (a.size() != 1) {
        System.err.println("usage: MatchBenchmark --estimate-weights OUT [--no-ssn] [--seed S] population.csv");
        System.exit(2);
        return;
      }
      long s = seed == null ? UsPopulationGenerator.DEFAULT_SEED : Long.parseLong(seed);
      MatchWeights w = estimate(BenchCsv.read(Path.of(a.get(0))), !noSsn, s);
      try (Writer wr = Files.newBufferedWriter(Path.of(estimate), StandardCharsets.UTF_8)) {
        w.write(wr, "estimated from " + Path.of(a.get(0)).getFileName() + " (seed " + s + ")");
      }
      console.println("wrote " + estimate + " (" + w.levels().size() + " levels)");
      return;
    }
    if (febrl != null) {
      Path dir = Path.of(febrl);
      console.println(BenchmarkResult.header());
      for (boolean withSsn : noSsn ? new boolean[] {false} : new boolean[] {true, false}) {
        for (String set : List.of("dataset1", "dataset2", "dataset3")) {
          List<BenchRecord> records = BenchCsv.read(dir.resolve(set + ".csv"));
          console.println(run(set + (withSsn ? "" : " no-ssn"), List.of(), records, withSsn, null, stores,
              estimatedFor(weightsFile != null, records, withSsn)).row());
        }
        List<BenchRecord> a4 = BenchCsv.read(dir.resolve("dataset4a.csv"));
        List<BenchRecord> b4 = BenchCsv.read(dir.resolve("dataset4b.csv"));
        List<BenchRecord> both = new ArrayList<>(a4);
        both.addAll(b4); // 4a alone holds one record per person: nothing to learn m from
        console.println(run("dataset4a>4b" + (withSsn ? "" : " no-ssn"), a4, b4, withSsn, null, stores,
            estimatedFor(weightsFile != null, both, withSsn)).row());
      }
      return;
    }
    if (a.size() != 1) {
      System.err.println("usage: MatchBenchmark [--index existing.csv] [--out decisions.csv] [--no-ssn] input.csv\n"
          + "       MatchBenchmark --febrl DIR [--no-ssn]\n"
          + "       MatchBenchmark --generate-us FILE [--people N] [--seed S]\n"
          + "       MatchBenchmark --latency PATIENTS [--seed S]");
      System.exit(2);
      return;
    }
    Path input = Path.of(a.get(0));
    List<BenchRecord> existing = index == null ? List.of() : BenchCsv.read(Path.of(index));
    List<BenchRecord> stream = BenchCsv.read(input);
    Writer writer = out == null ? null : Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8);
    try {
      BenchmarkResult r = run(input.getFileName() + (noSsn ? " no-ssn" : "") + (weights.isHandSet() ? "" : " estimated"),
          existing, stream, !noSsn, writer, stores, weights);
      console.println(BenchmarkResult.header());
      console.println(r.row());
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /** Weights estimated from a population's records ({@link WeightEstimator}; 150,000 random pairs). */
  public static MatchWeights estimate(List<BenchRecord> population, boolean withSsn, long seed) {
    List<NormalizedPerson> people = new ArrayList<>(population.size());
    for (BenchRecord r : population) {
      people.add(Normalizer.normalize(r.toInput(withSsn)));
    }
    return new WeightEstimator(Nicknames.bundled()).estimate(people, seed, 150_000);
  }

  /** For --febrl --weights: each set's weights estimated from its own records (4a and 4b for the linkage). */
  private static MatchWeights estimatedFor(boolean estimated, List<BenchRecord> records, boolean withSsn) {
    return estimated ? estimate(records, withSsn, UsPopulationGenerator.DEFAULT_SEED) : MatchWeights.handSet();
  }

  /**
   * In-process match latency: files the originals of a generated population of {@code people} as
   * patients, then times matching up to 20,000 of its duplicates and other records (read only).
   */
  static void latency(int people, long seed, PrintStream console) {
    List<BenchRecord> all = UsPopulationGenerator.records(people, seed);
    InMemoryCandidateIndex index = new InMemoryCandidateIndex();
    PatientMatcher matcher = new PatientMatcher(index);
    List<NormalizedPerson> probes = new ArrayList<>();
    int patients = 0;
    for (BenchRecord r : all) {
      NormalizedPerson p = matcher.normalize(r.toInput(true));
      if (r.recId().endsWith("-org")) {
        matcher.file("P" + (++patients), p);
      } else if (probes.size() < 20_000) {
        probes.add(p);
      }
    }
    for (int i = 0; i < Math.min(2_000, probes.size()); i++) {
      matcher.match(probes.get(i)); // warm-up
    }
    long[] ns = new long[probes.size()];
    for (int i = 0; i < probes.size(); i++) {
      long t0 = System.nanoTime();
      matcher.match(probes.get(i));
      ns[i] = System.nanoTime() - t0;
    }
    Arrays.sort(ns);
    console.printf(Locale.ROOT, "in-memory index: %d patients, %d matches, p50 %.1f us, p99 %.1f us, max %.1f us%n",
        patients, ns.length, ns[ns.length / 2] / 1000.0, ns[(int) (ns.length * 0.99)] / 1000.0, ns[ns.length - 1] / 1000.0);
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size()) {
      return null;
    }
    String v = args.get(i + 1);
    args.remove(i + 1);
    args.remove(i);
    return v;
  }

  /** Entity id from a Febrl rec_id, or the rec_id itself (its own entity) when it has no such form. */
  static String entity(String recId) {
    Matcher m = FEBRL_ID.matcher(recId == null ? "" : recId);
    return m.matches() ? m.group(1) : null;
  }

  /** The identity index a run uses: the functions' {@link IdentityStore} and the candidate index it files into. */
  public record Stores(IdentityStore store, CandidateIndex index) {}

  /** Fresh stores for each run (in memory by default; the local module supplies DynamoDB on the local stack). */
  public interface StoreFactory {
    Stores create();
  }

  public static final StoreFactory IN_MEMORY = () -> {
    InMemoryIdentityStore s = new InMemoryIdentityStore();
    return new Stores(s, s.index());
  };

  public static BenchmarkResult run(String name, List<BenchRecord> existing, List<BenchRecord> stream,
      boolean withSsn, Writer out) throws IOException {
    return run(name, existing, stream, withSsn, out, IN_MEMORY);
  }

  /**
   * Bulk-loads {@code existing} as the EHR's charts (one person each, no matching), then feeds
   * {@code stream} in file order as successive registrations through the functions' own resolver
   * ({@link MatchingPatientResolver}: matcher, registration claims, review parking) on the given stores.
   * Writes decisions to {@code out} when given.
   */
  public static BenchmarkResult run(String name, List<BenchRecord> existing, List<BenchRecord> stream,
      boolean withSsn, Writer out, StoreFactory stores) throws IOException {
    return run(name, existing, stream, withSsn, out, stores, MatchWeights.handSet());
  }

  /** As above, with the given weights (hand-set or estimated). */
  public static BenchmarkResult run(String name, List<BenchRecord> existing, List<BenchRecord> stream,
      boolean withSsn, Writer out, StoreFactory stores, MatchWeights weights) throws IOException {
    Stores st = stores.create();
    MatchSettings d = MatchSettings.defaults();
    MatchSettings settings = new MatchSettings(
        Double.parseDouble(System.getProperty("bench.link", String.valueOf(d.link()))),
        Double.parseDouble(System.getProperty("bench.contactLink", String.valueOf(d.contactLink()))),
        Double.parseDouble(System.getProperty("bench.review", String.valueOf(d.review()))), d.keyLimit(), weights);
    Clock clock = Clock.systemUTC();
    MatchingPatientResolver resolver = new MatchingPatientResolver(st.store(), st.index(), Nicknames.bundled(), settings,
        "BENCH", clock);
    String tenant = "bench-" + name.replaceAll("[^A-Za-z0-9]+", "-") + "-" + Long.toString(System.nanoTime(), 36);
    Map<String, String> patientOf = new HashMap<>();          // rec_id -> person id (parked: absent)
    Map<String, Set<String>> entitiesOf = new HashMap<>();    // person id -> true entities filed
    Map<String, String> entityOfRec = new HashMap<>();
    Set<String> entitiesSeen = new HashSet<>();               // entities with a person in the index
    boolean truth = true;
    List<MatchingEhrPatientIndex.Chart> charts = new ArrayList<>(existing.size());
    for (BenchRecord r : existing) {
      Identifier mrn = new Identifier(r.recId(), "BENCH-EHR", "MR");
      charts.add(new MatchingEhrPatientIndex.Chart(List.of(mrn), r.toInput(withSsn)));
      String pid = MatchingEhrPatientIndex.ehrPersonId(tenant, mrn);
      String e = entity(r.recId());
      truth &= e != null;
      e = e == null ? r.recId() : e;
      entityOfRec.put(r.recId(), e);
      patientOf.put(r.recId(), pid);
      entitiesOf.computeIfAbsent(pid, k -> new HashSet<>()).add(e);
      entitiesSeen.add(e);
    }
    new MatchingEhrPatientIndex(st.store(), resolver, clock).bulkLoad(tenant, charts);
    if (out != null) {
      out.write("rec_id,decision,patient_id,score\n");
    }
    Map<String, Integer> reasons = new java.util.TreeMap<>();
    Map<String, String> shortIds = new HashMap<>();            // person id -> P1, P2... in the CSV
    int links = 0, news = 0, reviews = 0, falseMerges = 0, duplicates = 0;
    long[] latencies = new long[stream.size()];
    int li = 0;
    for (BenchRecord r : stream) {
      String e = entity(r.recId());
      truth &= e != null;
      e = e == null ? r.recId() : e;
      entityOfRec.put(r.recId(), e);
      MatchInput input = r.toInput(withSsn);
      PatientDemographics dem = input.demographics();
      PatientDemographics asPlatform = new PatientDemographics(r.recId(), dem.name(), dem.birthDate(), dem.sex(),
          dem.phones(), dem.email(), dem.address(), dem.ssnLast4());
      long t0 = System.nanoTime();
      MatchingPatientResolver.Decided decided = resolver.decide(
          new ResolveRequest(tenant, asPlatform, r.recId(), "{}", null), new MatchInput(r.recId(), asPlatform, input.nationalId()));
      latencies[li++] = System.nanoTime() - t0;
      MatchResult m = decided.match();
      if (m == null) {
        if (!decided.resolution().parked()) {
          throw new IllegalStateException("rec_id " + r.recId() + " appears twice in the input");
        }
        m = new MatchResult(r.recId(), Decision.REVIEW, null, 0, "no_demographics", List.of());
      }
      String pid = decided.personId();
      switch (m.decision()) {
        case LINK -> {
          links++;
          if (!entitiesOf.getOrDefault(pid, Set.of()).contains(e)) {
            falseMerges++;
            if (DEBUG) {
              System.err.println("FALSE MERGE " + m.explanation() + " entities=" + entitiesOf.get(pid) + " e=" + e);
            }
          }
        }
        case NEW -> {
          news++;
          if (entitiesSeen.contains(e)) {
            duplicates++;
            reasons.merge("NEW:" + m.reason(), 1, Integer::sum);
            if (DEBUG) {
              System.err.println("DUPLICATE " + m.explanation()
                  + m.candidates().stream().findFirst().map(c -> " first=" + c.guards() + " fields=" + c.fields().stream()
                      .map(f -> f.field() + ":" + f.reason()).toList()).orElse(""));
            }
          }
        }
        case REVIEW -> {
          reviews++;
          pid = null;
          reasons.merge(m.reason() + (entitiesOf.getOrDefault(m.patientId(), Set.of()).contains(e) ? "(same)" : "(other)"),
              1, Integer::sum);
          if (DEBUG) {
            System.err.println((entitiesOf.getOrDefault(m.patientId(), Set.of()).contains(e) ? "" : "OTHER ")
                + m.explanation());
          }
        }
      }
      if (pid != null) {
        patientOf.put(r.recId(), pid);
        entitiesOf.computeIfAbsent(pid, k -> new HashSet<>()).add(e);
        entitiesSeen.add(e);
      }
      if (out != null) {
        String shown = pid == null ? "" : shortIds.computeIfAbsent(pid, k -> "P" + (shortIds.size() + 1));
        out.write(r.recId() + "," + m.decision() + "," + shown + ","
            + String.format(Locale.ROOT, "%.2f", m.score()) + "\n");
      }
    }
    // Pairwise figures over every record (index + stream); a parked record is a singleton.
    Map<String, Integer> perEntity = new HashMap<>();
    Map<String, Integer> perPatient = new HashMap<>();
    Map<String, Integer> perPatientEntity = new HashMap<>();
    for (Map.Entry<String, String> re : entityOfRec.entrySet()) {
      perEntity.merge(re.getValue(), 1, Integer::sum);
      String pid = patientOf.get(re.getKey());
      if (pid != null) {
        perPatient.merge(pid, 1, Integer::sum);
        perPatientEntity.merge(pid + "|" + re.getValue(), 1, Integer::sum);
      }
    }
    long truePairs = pairs(perEntity), predicted = pairs(perPatient), correct = pairs(perPatientEntity);
    if (DEBUG) {
      System.err.println(name + " review reasons " + reasons);
    }
    Arrays.sort(latencies);
    double p50 = latencies.length == 0 ? 0 : latencies[latencies.length / 2] / 1000.0;
    double p99 = latencies.length == 0 ? 0 : latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1000.0;
    if (!truth) {
      return new BenchmarkResult(name, stream.size(), links, news, reviews, -1, -1, -1, predicted, -1, p50, p99);
    }
    return new BenchmarkResult(name, stream.size(), links, news, reviews, falseMerges, duplicates, truePairs,
        predicted, correct, p50, p99);
  }

  private static long pairs(Map<String, Integer> counts) {
    long n = 0;
    for (int c : counts.values()) {
      n += (long) c * (c - 1) / 2;
    }
    return n;
  }
}
