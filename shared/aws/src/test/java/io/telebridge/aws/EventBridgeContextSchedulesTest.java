package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.context.PullSchedule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventBridgeContextSchedulesTest {

  @Test
  void theExpressionIsUtcRoundedUpToTheSecond() {
    assertEquals("at(2026-12-07T13:59:00)", EventBridgeContextSchedules.expression(Instant.parse("2026-12-07T13:59:00Z")));
    assertEquals("at(2026-12-07T13:59:01)",
        EventBridgeContextSchedules.expression(Instant.parse("2026-12-07T13:59:00.200Z")));
  }

  @Test
  void theInputCarriesIdsOnly() {
    assertEquals("{\"tenant\":\"demo-clinic\",\"appointmentId\":\"apt-1\",\"patientId\":\"pat-1\"}",
        EventBridgeContextSchedules.input(new PullSchedule("demo-clinic", "apt-1", "pat-1", Instant.EPOCH)));
    assertEquals("{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\",\"onDemand\":true}",
        EventBridgeContextSchedules.input(PullSchedule.onDemand(new ContextRequest("demo-clinic", "pat-1", null),
            Instant.EPOCH)));
  }
}
