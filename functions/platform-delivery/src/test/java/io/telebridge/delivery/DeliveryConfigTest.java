package io.telebridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryConfigTest {

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PLATFORM_ENDPOINT_URL", "https://platform.example.test/v1/ehr-events");
    env.put("PLATFORM_SIGNING_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:x");
    env.put("TO_PLATFORM_QUEUE_URL", "http://q/to-platform.fifo");
    env.put("TO_PLATFORM_DLQ_URL", "http://q/to-platform-dlq.fifo");
    return env;
  }

  @Test
  void readsTheDefaults() {
    DeliveryConfig c = DeliveryConfig.fromEnvironment(env());
    assertEquals(Duration.ofSeconds(3), c.connectTimeout());
    assertEquals(Duration.ofSeconds(10), c.requestTimeout());
    assertEquals(Duration.ofSeconds(900), c.maxRetryDelay());
  }

  @Test
  void namesEveryMissingVariableAtOnce() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeliveryConfig.fromEnvironment(Map.of()));
    for (String name : new String[] {"PLATFORM_ENDPOINT_URL", "PLATFORM_SIGNING_SECRET_ARN", "TO_PLATFORM_QUEUE_URL",
        "TO_PLATFORM_DLQ_URL"}) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void refusesAnEndpointThatIsNotHttp() {
    Map<String, String> env = env();
    env.put("PLATFORM_ENDPOINT_URL", "ftp://platform.example.test/");
    assertThrows(IllegalStateException.class, () -> DeliveryConfig.fromEnvironment(env));
  }

  @Test
  void refusesARetryCapBeyondSqsLimit() {
    Map<String, String> env = env();
    env.put("MAX_RETRY_DELAY_SECONDS", "50000");
    assertThrows(IllegalStateException.class, () -> DeliveryConfig.fromEnvironment(env));
  }
}
