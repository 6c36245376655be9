package io.telebridge.mllp.bridge;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * CloudWatch embedded metric format: one JSON line per batch on stdout, turned into metrics by
 * CloudWatch Logs (namespace {@value #NAMESPACE}, dimension {@code Service=mllp-bridge}). No PHI:
 * counts and latencies only.
 *
 * <pre>{"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"telebridge/mllp-bridge",
 *  "Dimensions":[["Service"]],"Metrics":[{"Name":"sent","Unit":"Count"},...]}]},
 *  "Service":"mllp-bridge","sent":3,"acked":2,"nacked":1,"retried":1,"deadLettered":0,
 *  "linkFailures":0,"suppressedDuplicates":0,"ledgerErrors":0,"ackLatencyMs":[2,1,3]}</pre>
 *
 * <p>{@code suppressedDuplicates}: messages the EHR had accepted before (sent ledger), deleted unsent;
 * {@code ledgerErrors}: sent-ledger reads or writes that failed (the message went as without the ledger).
 */
public final class EmfMetrics {

  public static final String NAMESPACE = "telebridge/mllp-bridge";

  private final Consumer<String> sink;
  private final LongSupplier clockMillis;

  public EmfMetrics(Consumer<String> sink, LongSupplier clockMillis) {
    this.sink = sink;
    this.clockMillis = clockMillis;
  }

  /** Lines to stdout (what ECS's awslogs driver ships to CloudWatch Logs). */
  public static EmfMetrics stdout() {
    return new EmfMetrics(line -> {
      synchronized (System.out) {
        System.out.println(line);
        System.out.flush();
      }
    }, System::currentTimeMillis);
  }

  public void publish(BatchStats s) {
    if (s.isEmpty()) {
      return;
    }
    sink.accept(line(s));
  }

  /**
   * The link status, once a minute: {@code EhrConnected} (1/0, from the sender; absent without one),
   * {@code ListenerReady} (1/0) and {@code ListenerConnections} (absent without a listener). The
   * BridgeDisconnected alarm is on the maximum of EhrConnected; no line at all (no task) is breaching.
   */
  public void publishStatus(Boolean ehrConnected, Boolean listenerReady, int listenerConnections) {
    sink.accept(statusLine(ehrConnected, listenerReady, listenerConnections));
  }

  String statusLine(Boolean ehrConnected, Boolean listenerReady, int listenerConnections) {
    StringBuilder names = new StringBuilder();
    StringBuilder values = new StringBuilder();
    if (ehrConnected != null) {
      names.append("{\"Name\":\"EhrConnected\",\"Unit\":\"Count\"}");
      values.append(",\"EhrConnected\":").append(ehrConnected ? 1 : 0);
    }
    if (listenerReady != null) {
      names.append(names.isEmpty() ? "" : ",").append("{\"Name\":\"ListenerReady\",\"Unit\":\"Count\"},")
          .append("{\"Name\":\"ListenerConnections\",\"Unit\":\"Count\"}");
      values.append(",\"ListenerReady\":").append(listenerReady ? 1 : 0)
          .append(",\"ListenerConnections\":").append(Math.max(0, listenerConnections));
    }
    return "{\"_aws\":{\"Timestamp\":" + clockMillis.getAsLong() + ",\"CloudWatchMetrics\":[{\"Namespace\":\"" + NAMESPACE
        + "\",\"Dimensions\":[[\"Service\"]],\"Metrics\":[" + names + "]}]},\"Service\":\"mllp-bridge\"" + values + "}";
  }

  String line(BatchStats s) {
    StringBuilder b = new StringBuilder(400);
    b.append("{\"_aws\":{\"Timestamp\":").append(clockMillis.getAsLong())
        .append(",\"CloudWatchMetrics\":[{\"Namespace\":\"").append(NAMESPACE)
        .append("\",\"Dimensions\":[[\"Service\"]],\"Metrics\":[")
        .append("{\"Name\":\"sent\",\"Unit\":\"Count\"},")
        .append("{\"Name\":\"acked\",\"Unit\":\"Count\"},")
        .append("{\"Name\":\"nacked\",\"Unit\":\"Count\"},")
        .append("{\"Name\":\"retried\",\"Unit\":\"Count\"},")
        .append("{\"Name\":\"deadLettered\",\"Unit\":\"Count\"},")
        .append("{\"Name\":\"linkFailures\",\"Unit\":\"Count\"},")
        .append("{\"Name\":\"suppressedDuplicates\",\"Unit\":\"Count\"},")
        .append("{\"Name\":\"ledgerErrors\",\"Unit\":\"Count\"}");
    if (!s.ackLatencyMs.isEmpty()) {
      b.append(",{\"Name\":\"ackLatencyMs\",\"Unit\":\"Milliseconds\"}");
    }
    b.append("]}]},\"Service\":\"mllp-bridge\"")
        .append(",\"sent\":").append(s.sent)
        .append(",\"acked\":").append(s.acked)
        .append(",\"nacked\":").append(s.nacked)
        .append(",\"retried\":").append(s.retried)
        .append(",\"deadLettered\":").append(s.deadLettered)
        .append(",\"linkFailures\":").append(s.linkFailures)
        .append(",\"suppressedDuplicates\":").append(s.suppressedDuplicates)
        .append(",\"ledgerErrors\":").append(s.ledgerErrors);
    if (!s.ackLatencyMs.isEmpty()) {
      b.append(",\"ackLatencyMs\":[");
      for (int i = 0; i < s.ackLatencyMs.size(); i++) {
        b.append(i == 0 ? "" : ",").append(s.ackLatencyMs.get(i));
      }
      b.append(']');
    }
    return b.append('}').toString();
  }
}
