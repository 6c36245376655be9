package io.telebridge.core.fromehr;

import java.util.HashMap;
import java.util.Map;

/** The {@link Metrics} port: sums per metric. */
public final class RecordingMetrics implements Metrics {

  public final Map<String, Long> counts = new HashMap<>();

  @Override
  public void count(String metric, long value, Map<String, String> properties) {
    counts.merge(metric, value, Long::sum);
  }

  public long get(String metric) {
    return counts.getOrDefault(metric, 0L);
  }
}
