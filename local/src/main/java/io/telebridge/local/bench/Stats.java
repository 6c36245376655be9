package io.telebridge.local.bench;

import java.util.Arrays;
import java.util.Locale;

/** Order statistics over samples in nanoseconds, printed in milliseconds (nearest-rank percentiles). */
public final class Stats {

  private final long[] sorted;

  public Stats(long[] samplesNanos) {
    this.sorted = samplesNanos.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
  public double percentileMs(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return ms(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
  }

  double minMs() {
    return sorted.length == 0 ? Double.NaN : ms(sorted[0]);
  }

  public double maxMs() {
    return sorted.length == 0 ? Double.NaN : ms(sorted[sorted.length - 1]);
  }

  double meanMs() {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (long s : sorted) {
      sum += s;
    }
    return sum / sorted.length / 1e6;
  }

  /** Median of a few values (mean of the middle two for an even count). */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }
}
