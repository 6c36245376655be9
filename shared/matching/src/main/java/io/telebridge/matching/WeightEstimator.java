package io.telebridge.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Estimates Fellegi–Sunter weights from a loaded population, unsupervised, the way Splink does:
 *
 * <ol>
 *   <li><b>u</b> (how often a level occurs between two different people) from random pairs: almost
 *       every random pair is two people. A fixed seed makes it deterministic.
 *   <li><b>m</b> (how often it occurs between two records of one person) by expectation maximisation
 *       over pairs that share a training key, with u held fixed. Each key's session leaves its own
 *       field out (pairs that share a birth date say nothing about how often birth dates agree for
 *       one person), and a field's m is the mean of the sessions that did not block on it. Sessions:
 *       same birth date, same phone, same surname.
 *   <li><b>term frequencies</b> of given names and surnames held by at least
 *       {@link MatchWeights#TF_MIN_COUNT} records.
 * </ol>
 *
 * Cost: at most {@code randomPairs} + a few hundred thousand comparisons, a fixed number of EM
 * rounds; a few seconds for 10,000 records. SSN levels and the zero-weight levels (initial, swapped
 * names) keep their hand-set values: the population without SSN says nothing about them.
 */
public final class WeightEstimator {

  private static final int ROUNDS = 25;
  private static final int GROUP_CAP = 60;
  private static final Set<String> FIXED = Set.of("ssn", "given.initial", "given.swapped", "surname.swapped");

  private final FieldComparator comparator;

  public WeightEstimator(Nicknames nicknames) {
    this.comparator = new FieldComparator(nicknames);
  }

  /** The estimated weights for this population (records of one tenant), deterministic for a seed. */
  public MatchWeights estimate(List<NormalizedPerson> people, long seed, int randomPairs) {
    int n = people.size();
    if (n < 50) {
      return MatchWeights.handSet();
    }
    // u from random pairs
    Map<String, Double> levelCount = new HashMap<>();
    Map<String, Double> fieldCount = new HashMap<>();
    Random rnd = new Random(seed);
    long possible = (long) n * (n - 1) / 2;
    int samples = (int) Math.min(randomPairs, possible);
    for (int k = 0; k < samples; k++) {
      int i = rnd.nextInt(n);
      int j = rnd.nextInt(n - 1);
      j = j >= i ? j + 1 : j;
      for (String level : levels(people.get(i), people.get(j))) {
        levelCount.merge(level, 1.0, Double::sum);
        fieldCount.merge(field(level), 1.0, Double::sum);
      }
    }
    Map<String, Double> u = new HashMap<>();
    for (Map.Entry<String, Double> e : levelCount.entrySet()) {
      u.put(e.getKey(), Math.max(e.getValue(), 0.5) / fieldCount.get(field(e.getKey())));
    }
    double uFloor = 0.5 / Math.max(1, samples);

    // m by EM, one session per training key, the key's own field left out
    Map<String, List<Double>> mSessions = new HashMap<>();
    session("birth_date", people, p -> p.dob(), u, uFloor, mSessions);
    session("email", people, NormalizedPerson::email, u, uFloor, mSessions);
    session("name", people, p -> p.given() == null || p.surname() == null ? null : p.given() + " " + p.surname(), u, uFloor,
        mSessions);

    Map<String, Double> weights = new HashMap<>();
    Map<String, Double> mExact = new HashMap<>();
    for (Map.Entry<String, List<Double>> e : mSessions.entrySet()) {
      String level = e.getKey();
      double m = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double ul = u.getOrDefault(level, uFloor);
      m = Math.max(m, 1e-4);
      weights.put(level, Math.log(m / ul) / Math.log(2));
      if (level.equals("given.exact") || level.equals("surname.exact")) {
        mExact.put(field(level), m);
      }
    }

    // term frequencies
    Map<String, Map<String, Double>> tf = new HashMap<>();
    tf.put("given", shares(people, NormalizedPerson::given));
    tf.put("surname", shares(people, NormalizedPerson::surname));
    return new MatchWeights(weights, mExact, tf);
  }

  private void session(String blocked, List<NormalizedPerson> people, Function<NormalizedPerson, String> key,
      Map<String, Double> u, double uFloor, Map<String, List<Double>> out) {
    Map<String, List<Integer>> groups = new java.util.TreeMap<>();
    for (int i = 0; i < people.size(); i++) {
      String k = key.apply(people.get(i));
      if (k != null) {
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
      }
    }
    List<List<String>> pairs = new ArrayList<>();
    for (List<Integer> g : groups.values()) {
      List<Integer> members = g.subList(0, Math.min(g.size(), GROUP_CAP));
      for (int x = 0; x < members.size(); x++) {
        for (int y = x + 1; y < members.size(); y++) {
          List<String> levels = new ArrayList<>();
          for (String level : levels(people.get(members.get(x)), people.get(members.get(y)))) {
            if (!field(level).equals(blocked) && !(blocked.equals("name")
                && (field(level).equals("given") || field(level).equals("surname")))) {
              levels.add(level);
            }
          }
          pairs.add(levels);
        }
      }
    }
    if (pairs.size() < 20) {
      return;
    }
    // start: m concentrated on agreement
    Map<String, Double> m = new HashMap<>();
    for (List<String> p : pairs) {
      for (String level : p) {
        m.putIfAbsent(level, level.endsWith(".exact") ? 0.9 : 0.05);
      }
    }
    double lambda = 0.3;
    double[] post = new double[pairs.size()];
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < pairs.size(); i++) {
        double lm = Math.log(lambda);
        double lu = Math.log(1 - lambda);
        for (String level : pairs.get(i)) {
          lm += Math.log(Math.max(m.get(level), 1e-6));
          lu += Math.log(Math.max(u.getOrDefault(level, uFloor), uFloor));
        }
        double d = lu - lm;
        post[i] = d > 50 ? 0 : 1 / (1 + Math.exp(d));
      }
      Map<String, Double> levelMass = new HashMap<>();
      Map<String, Double> fieldMass = new HashMap<>();
      double total = 0;
      for (int i = 0; i < pairs.size(); i++) {
        total += post[i];
        for (String level : pairs.get(i)) {
          levelMass.merge(level, post[i], Double::sum);
          fieldMass.merge(field(level), post[i], Double::sum);
        }
      }
      for (String level : m.keySet()) {
        double fm = fieldMass.getOrDefault(field(level), 0.0);
        m.put(level, fm <= 0 ? 1e-4 : Math.max(levelMass.getOrDefault(level, 0.0) / fm, 1e-4));
      }
      lambda = Math.min(0.99, Math.max(1e-4, total / pairs.size()));
    }
    m.forEach((level, value) -> out.computeIfAbsent(level, k -> new ArrayList<>()).add(value));
  }

  /** The level keys ("given.typo", "phone.exact"...) of a comparison, without missing and fixed ones. */
  private List<String> levels(NormalizedPerson a, NormalizedPerson b) {
    List<String> out = new ArrayList<>();
    for (FieldComparison f : comparator.compare("", a, b).fields()) {
      String level = f.field() + "." + f.reason();
      if (f.outcome() != Outcome.MISSING && !FIXED.contains(level) && !FIXED.contains(f.field())) {
        out.add(level);
      }
    }
    return out;
  }

  private static String field(String level) {
    return level.substring(0, level.indexOf('.'));
  }

  private static Map<String, Double> shares(List<NormalizedPerson> people, Function<NormalizedPerson, String> value) {
    Map<String, Integer> counts = new HashMap<>();
    int known = 0;
    for (NormalizedPerson p : people) {
      String v = value.apply(p);
      if (v != null && v.matches("[a-z]+")) {
        counts.merge(v, 1, Integer::sum);
        known++;
      }
    }
    Map<String, Double> out = new HashMap<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= MatchWeights.TF_MIN_COUNT) {
        out.put(e.getKey(), e.getValue() / (double) Math.max(1, known));
      }
    }
    // any value not listed is held by fewer than TF_MIN_COUNT records
    out.put("*", (MatchWeights.TF_MIN_COUNT - 1) / (double) Math.max(1, known));
    return out;
  }
}
