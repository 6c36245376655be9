package io.telebridge.core.log;

import io.telebridge.core.fromehr.Metrics;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link Metrics} as CloudWatch embedded metric format: one JSON line per count (stdout in Lambda,
 * which CloudWatch Logs turns into a metric in {@code namespace}, dimension {@code Service}). The
 * properties ride along for Logs Insights; callers pass ids only.
 *
 * <pre>{"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"telebridge","Dimensions":[["Service"]],
 *  "Metrics":[{"Name":"UnlinkedMrnMessages","Unit":"Count"}]}]},"Service":"from-ehr-translator",
 *  "UnlinkedMrnMessages":1,"controlId":"LAB000101",...}</pre>
 */
public final class EmfMetrics implements Metrics {

  private final String namespace;
  private final String service;
  private final Consumer<String> sink;
  private final Clock clock;

  public EmfMetrics(String namespace, String service, Consumer<String> sink, Clock clock) {
    this.namespace = namespace;
    this.service = service;
    this.sink = sink;
    this.clock = clock;
  }

  /** Lines on stdout (Lambda ships stdout to CloudWatch Logs). */
  public static EmfMetrics stdout(String service) {
    return new EmfMetrics("telebridge", service, line -> {
      synchronized (System.out) {
        System.out.println(line);
        System.out.flush();
      }
    }, Clock.systemUTC());
  }

  @Override
  public void count(String metric, long value, Map<String, String> properties) {
    sink.accept(line(metric, value, properties));
  }

  @Override
  public void countBy(String metric, long value, Map<String, String> dimensions) {
    sink.accept(dimensionLine(metric, value, "Count", dimensions));
  }

  @Override
  public void millisBy(String metric, long millis, Map<String, String> dimensions) {
    sink.accept(dimensionLine(metric, millis, "Milliseconds", dimensions));
  }

  /**
   * One metric under two dimension sets: {@code [Service]} (the total) and {@code [Service, <each
   * dimension>]} (e.g. per tenant, per ACK code).
   */
  String dimensionLine(String metric, long value, String unit, Map<String, String> dimensions) {
    return line(metric, value, unit, dimensions, Map.of());
  }

  String line(String metric, long value, Map<String, String> properties) {
    return line(metric, value, "Count", Map.of(), properties);
  }

  /** The one EMF line: dimension values and then the properties (ids for Logs Insights) as top-level members. */
  private String line(String metric, long value, String unit, Map<String, String> dimensions,
      Map<String, String> properties) {
    StringBuilder b = new StringBuilder(300);
    b.append("{\"_aws\":{\"Timestamp\":").append(clock.millis()).append(",\"CloudWatchMetrics\":[{\"Namespace\":");
    JsonLines.quote(b, namespace);
    b.append(",\"Dimensions\":[[\"Service\"]");
    if (!dimensions.isEmpty()) {
      b.append(",[\"Service\"");
      dimensions.keySet().forEach(k -> JsonLines.quote(b.append(','), k));
      b.append(']');
    }
    b.append("],\"Metrics\":[{\"Name\":");
    JsonLines.quote(b, metric);
    b.append(",\"Unit\":");
    JsonLines.quote(b, unit);
    b.append("}]}]},\"Service\":");
    JsonLines.quote(b, service);
    b.append(',');
    JsonLines.quote(b, metric);
    b.append(':').append(value);
    java.util.LinkedHashMap<String, String> members = new java.util.LinkedHashMap<>(dimensions);
    members.putAll(properties);
    members.forEach((k, v) -> {
      if (!k.equals(metric) && !k.equals("Service") && !k.equals("_aws")) {
        JsonLines.quote(b.append(','), k);
        b.append(':');
        JsonLines.quote(b, v == null ? "" : v);
      }
    });
    return b.append('}').toString();
  }
}
