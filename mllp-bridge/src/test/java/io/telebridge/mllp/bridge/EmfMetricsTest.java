package io.telebridge.mllp.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {

  @Test
  void writesOneEmbeddedMetricFormatLinePerBatch() {
    List<String> lines = new ArrayList<>();
    EmfMetrics metrics = new EmfMetrics(lines::add, () -> 1_767_225_600_000L);
    BatchStats s = new BatchStats();
    s.sent = 3;
    s.acked = 2;
    s.nacked = 1;
    s.retried = 1;
    s.ackLatencyMs.addAll(List.of(2L, 1L, 3L));
    metrics.publish(s);
    assertEquals(1, lines.size());
    assertEquals("{\"_aws\":{\"Timestamp\":1767225600000,\"CloudWatchMetrics\":[{\"Namespace\":\"telebridge/mllp-bridge\","
        + "\"Dimensions\":[[\"Service\"]],\"Metrics\":[{\"Name\":\"sent\",\"Unit\":\"Count\"},"
        + "{\"Name\":\"acked\",\"Unit\":\"Count\"},{\"Name\":\"nacked\",\"Unit\":\"Count\"},"
        + "{\"Name\":\"retried\",\"Unit\":\"Count\"},{\"Name\":\"deadLettered\",\"Unit\":\"Count\"},"
        + "{\"Name\":\"linkFailures\",\"Unit\":\"Count\"},{\"Name\":\"suppressedDuplicates\",\"Unit\":\"Count\"},"
        + "{\"Name\":\"ledgerErrors\",\"Unit\":\"Count\"},{\"Name\":\"ackLatencyMs\",\"Unit\":\"Milliseconds\"}]}]},"
        + "\"Service\":\"mllp-bridge\",\"sent\":3,\"acked\":2,\"nacked\":1,\"retried\":1,\"deadLettered\":0,"
        + "\"linkFailures\":0,\"suppressedDuplicates\":0,\"ledgerErrors\":0,\"ackLatencyMs\":[2,1,3]}", lines.get(0));
  }

  @Test
  void writesNothingForABatchWhereNothingHappened() {
    List<String> lines = new ArrayList<>();
    new EmfMetrics(lines::add, () -> 0L).publish(new BatchStats());
    assertTrue(lines.isEmpty());
  }

  @Test
  void reportsTheLinkStatusThatTheDisconnectedAlarmWatches() {
    EmfMetrics metrics = new EmfMetrics(line -> { }, () -> 1_767_225_600_000L);
    assertEquals("{\"_aws\":{\"Timestamp\":1767225600000,\"CloudWatchMetrics\":[{\"Namespace\":\"telebridge/mllp-bridge\","
        + "\"Dimensions\":[[\"Service\"]],\"Metrics\":[{\"Name\":\"EhrConnected\",\"Unit\":\"Count\"},"
        + "{\"Name\":\"ListenerReady\",\"Unit\":\"Count\"},{\"Name\":\"ListenerConnections\",\"Unit\":\"Count\"}]}]},"
        + "\"Service\":\"mllp-bridge\",\"EhrConnected\":0,\"ListenerReady\":1,\"ListenerConnections\":2}",
        metrics.statusLine(false, true, 2));
    assertTrue(metrics.statusLine(null, true, 0).indexOf("EhrConnected") < 0, "a listener-only task reports no link");
  }
}
