package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.telebridge.aws.dynamodb.Request;
import io.telebridge.core.fromehr.AppointmentField;
import io.telebridge.core.fromehr.AppointmentState;
import io.telebridge.core.fromehr.ChangeSource;
import io.telebridge.core.fromehr.FieldState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the conditional writes of the appointment state (the behaviour is in DynamoDbAppointmentStatesIT on moto). */
class DynamoDbAppointmentStatesTest {

  private final DynamoDbAppointmentStates states = new DynamoDbAppointmentStates(null, "appointments");
  private final AppointmentState state = new AppointmentState("demo-clinic", "apt-3001", "apt-3001", "SCH-1",
      Map.of(AppointmentField.STATUS, new FieldState("booked", ChangeSource.PLATFORM, Instant.parse("2025-11-24T16:00:00Z"))), 0);

  @Test
  void theFirstWriteRequiresThatNoItemExists() {
    Request r = states.request(state, 0);
    assertEquals("attribute_not_exists(pk)", r.conditionExpression());
    assertEquals("1", r.item().get("version").n());
    assertEquals("APPT#demo-clinic#apt-3001", r.item().get("pk").s());
    assertEquals("booked", r.item().get("statusValue").s());
    assertEquals("PLATFORM", r.item().get("statusSource").s());
  }

  @Test
  void laterWritesRequireTheVersionThatWasRead() {
    Request r = states.request(state, 7);
    assertEquals("#version = :expected", r.conditionExpression());
    assertEquals(Map.of("#version", "version"), r.expressionAttributeNames());
    assertEquals("7", r.expressionAttributeValues().get(":expected").n());
    assertEquals("8", r.item().get("version").n());
  }
}
