package io.telebridge.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fellegi–Sunter weights the comparator uses instead of its hand-set ones, and the term frequencies
 * of given names and surnames: estimated from a tenant's loaded population by {@link WeightEstimator}
 * ({@code ./tb bench match --estimate-weights FILE population.csv}) and stored as a small text file
 * the matcher reads ({@link MatchSettings#weights()}). Levels missing from the file keep the
 * hand-set weight; {@link #handSet()} (no file) is the default.
 *
 * <p>File lines: {@code weight.<field>.<level>=<log2 m/u>}, {@code m.<field>.exact=<m>} and
 * {@code tf.<field>.<value>=<share of records>} for given and surname values held by at least
 * {@link #TF_MIN_COUNT} records ({@code tf.<field>.*} is the share assumed for any other, rarer
 * value). Rare values are never written: the file is an aggregate, it names no single patient.
 *
 * <p>Term-frequency adjustment (as Splink does): an exact agreement on value v weighs
 * log2(m / tf(v)) instead of log2(m / u) — a common surname agreeing is weaker evidence than a rare one.
 */
public final class MatchWeights {

  /** A value must be held by at least this many records to be listed in the file. */
  public static final int TF_MIN_COUNT = 5;

  private static final MatchWeights HAND_SET = new MatchWeights(Map.of(), Map.of(), Map.of());

  private final Map<String, Double> levels;
  private final Map<String, Double> mExact;
  private final Map<String, Map<String, Double>> tf;

  public MatchWeights(Map<String, Double> levels, Map<String, Double> mExact, Map<String, Map<String, Double>> tf) {
    this.levels = Map.copyOf(levels);
    this.mExact = Map.copyOf(mExact);
    Map<String, Map<String, Double>> t = new HashMap<>();
    tf.forEach((k, v) -> t.put(k, Map.copyOf(v)));
    this.tf = Map.copyOf(t);
  }

  public static MatchWeights handSet() {
    return HAND_SET;
  }

  public boolean isHandSet() {
    return levels.isEmpty() && tf.isEmpty();
  }

  /** The weight of one comparison level, the estimated one when known; term-frequency adjusted for given/surname. */
  FieldComparison apply(FieldComparison f, String valueA) {
    if (f.outcome() == Outcome.MISSING) {
      return f;
    }
    String key = f.field() + "." + f.reason();
    Double w = levels.get(key);
    double weight = w == null ? f.weight() : w;
    if (f.outcome() == Outcome.AGREE && valueA != null && mExact.containsKey(f.field())) {
      Map<String, Double> shares = tf.getOrDefault(f.field(), Map.of());
      Double share = shares.containsKey(valueA) ? shares.get(valueA) : shares.get("*");
      if (share != null && share > 0) {
        weight = Math.log(mExact.get(f.field()) / share) / Math.log(2);
      }
    }
    return weight == f.weight() ? f : new FieldComparison(f.field(), f.outcome(), f.reason(), weight);
  }

  /** Given names frequent in the population (listed in the file): real names, for the household rule. */
  public Set<String> frequentGivenNames() {
    Set<String> names = new java.util.HashSet<>(tf.getOrDefault("given", Map.of()).keySet());
    names.remove("*");
    return Collections.unmodifiableSet(names);
  }

  public Map<String, Double> levels() {
    return levels;
  }

  public static MatchWeights load(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r);
    }
  }

  public static MatchWeights read(Reader reader) throws IOException {
    Map<String, Double> levels = new HashMap<>();
    Map<String, Double> m = new HashMap<>();
    Map<String, Map<String, Double>> tf = new HashMap<>();
    BufferedReader in = new BufferedReader(reader);
    String line;
    while ((line = in.readLine()) != null) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IOException("not key=value: line " + line.length() + " characters long");
      }
      String key = line.substring(0, eq);
      double value = Double.parseDouble(line.substring(eq + 1));
      String[] parts = key.split("\\.", 3);
      if (parts.length != 3 || !Double.isFinite(value)) {
        throw new IOException("bad weights key: " + parts[0]);
      }
      switch (parts[0]) {
        case "weight" -> levels.put(parts[1] + "." + parts[2], value);
        case "m" -> m.put(parts[1], value);
        case "tf" -> tf.computeIfAbsent(parts[1], k -> new HashMap<>()).put(parts[2], value);
        default -> throw new IOException("bad weights key: " + parts[0]);
      }
    }
    return new MatchWeights(levels, m, tf);
  }

  public void write(Writer out, String comment) throws IOException {
    out.write("# telebridge match weights: " + comment + "\n");
    for (Map.Entry<String, Double> e : new TreeMap<>(levels).entrySet()) {
      out.write(String.format(Locale.ROOT, "weight.%s=%.4f%n", e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, Double> e : new TreeMap<>(mExact).entrySet()) {
      out.write(String.format(Locale.ROOT, "m.%s.exact=%.6f%n", e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, Map<String, Double>> f : new TreeMap<>(tf).entrySet()) {
      for (Map.Entry<String, Double> e : new TreeMap<>(f.getValue()).entrySet()) {
        out.write(String.format(Locale.ROOT, "tf.%s.%s=%.8f%n", f.getKey(), e.getKey(), e.getValue()));
      }
    }
  }
}
