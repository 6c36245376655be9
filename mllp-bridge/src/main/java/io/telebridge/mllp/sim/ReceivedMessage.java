package io.telebridge.mllp.sim;

import java.time.Instant;
import java.util.List;

/**
 * A message the simulator received, and what it answered. The text holds (synthetic) patient data
 * and is redacted from {@link #toString()}.
 *
 * @param sequence 1, 2, 3... in order of arrival across connections
 * @param connection which connection (1, 2, ...) brought it
 * @param controlId MSH-10
 * @param messageType MSH-9 as TYPE^TRIGGER
 * @param patientIds PID-3 ids
 * @param receivedAt when its last byte arrived
 * @param text the message, segments separated by CR
 * @param answer what the simulator did
 */
public record ReceivedMessage(long sequence, int connection, String controlId, String messageType,
    List<String> patientIds, Instant receivedAt, String text, Answer answer) {

  public String summary() {
    return controlId + " " + messageType;
  }

  @Override
  public String toString() {
    return "ReceivedMessage[#" + sequence + " " + controlId + " " + messageType + " -> " + answer + ", text=***]";
  }
}
