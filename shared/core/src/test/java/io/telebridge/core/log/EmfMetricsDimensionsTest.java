package io.telebridge.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfMetricsDimensionsTest {

  @Test
  void aCountByTenantAndAckCodeIsPublishedUnderTheServiceTotalAndThePerTenantSeries() {
    List<String> lines = new ArrayList<>();
    EmfMetrics emf = new EmfMetrics("telebridge", "mllp-bridge", lines::add,
        Clock.fixed(Instant.ofEpochMilli(1_767_225_600_000L), ZoneOffset.UTC));
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("Tenant", "acme");
    dims.put("AckCode", "AE");

    emf.countBy("Hl7Nacked", 1, dims);
    emf.millisBy("EndToEndLatency", 420, Map.of("Tenant", "acme"));

    assertEquals("{\"_aws\":{\"Timestamp\":1767225600000,\"CloudWatchMetrics\":[{\"Namespace\":\"telebridge\","
        + "\"Dimensions\":[[\"Service\"],[\"Service\",\"Tenant\",\"AckCode\"]],\"Metrics\":[{\"Name\":\"Hl7Nacked\","
        + "\"Unit\":\"Count\"}]}]},\"Service\":\"mllp-bridge\",\"Hl7Nacked\":1,\"Tenant\":\"acme\",\"AckCode\":\"AE\"}",
        lines.get(0));
    assertEquals("{\"_aws\":{\"Timestamp\":1767225600000,\"CloudWatchMetrics\":[{\"Namespace\":\"telebridge\","
        + "\"Dimensions\":[[\"Service\"],[\"Service\",\"Tenant\"]],\"Metrics\":[{\"Name\":\"EndToEndLatency\","
        + "\"Unit\":\"Milliseconds\"}]}]},\"Service\":\"mllp-bridge\",\"EndToEndLatency\":420,\"Tenant\":\"acme\"}",
        lines.get(1));
  }
}
