package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedriveDeduplicationTest {

  @Test
  void aRepeatedRedriveOfTheSameDeadLetterMessageReusesItsDeduplicationId() {
    assertEquals(QueueCommand.redriveDeduplicationId("evt-1", "m-1"), QueueCommand.redriveDeduplicationId("evt-1", "m-1"));
  }

  @Test
  void differsFromTheOriginalIdAndBetweenDeadLetterMessages() {
    String id = QueueCommand.redriveDeduplicationId("evt-1", "m-1");
    assertNotEquals("evt-1", id);
    assertNotEquals(id, QueueCommand.redriveDeduplicationId("evt-1", "m-2"));
    assertTrue(id.length() <= 128);
  }
}
