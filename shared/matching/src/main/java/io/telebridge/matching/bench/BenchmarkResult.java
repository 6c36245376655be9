package io.telebridge.matching.bench;

import java.util.Locale;

/** Figures of one benchmark run. Truth-based figures are -1 when no ground truth was derivable. */
public record BenchmarkResult(
    String name,
    int records,
    int links,
    int news,
    int reviews,
    int falseMerges,
    int duplicatesCreated,
    long truePairs,
    long predictedPairs,
    long correctPairs,
    double p50Micros,
    double p99Micros) {

  public double reviewRate() {
    return records == 0 ? 0 : (double) reviews / records;
  }

  public double precision() {
    return predictedPairs == 0 ? 1.0 : (double) correctPairs / predictedPairs;
  }

  public double recall() {
    return truePairs == 0 ? 1.0 : (double) correctPairs / truePairs;
  }

  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  public static String header() {
    return String.format(Locale.ROOT, "%-24s %7s %6s %6s %6s %6s %6s %7s %9s %9s %7s %8s %8s",
        "set", "records", "LINK", "NEW", "REVIEW", "falseM", "dupsC", "review%", "precision", "recall", "F1",
        "p50(us)", "p99(us)");
  }

  public String row() {
    return String.format(Locale.ROOT, "%-24s %7d %6d %6d %6d %6d %6d %6.2f%% %9.4f %9.4f %7.4f %8.1f %8.1f",
        name, records, links, news, reviews, falseMerges, duplicatesCreated, 100 * reviewRate(), precision(),
        recall(), f1(), p50Micros, p99Micros);
  }
}
