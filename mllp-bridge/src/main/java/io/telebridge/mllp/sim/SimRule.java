package io.telebridge.mllp.sim;

import java.time.Duration;
import java.util.List;

/**
 * One instruction for the simulator: how to answer, after what delay, for which messages, how many
 * times. Rules are tried in the order they were added; the first that matches and has uses left
 * applies; no rule: AA at once.
 *
 * <pre>{@code
 * sim.addRule(SimRule.answer(Answer.AE).times(2));                 // the next two messages get AE
 * sim.addRule(SimRule.answer(Answer.AR).forPatient("PLAT-123"));   // every message for that patient: AR
 * sim.addRule(SimRule.answer(Answer.AA).delay(Duration.ofSeconds(3)).forControlId("ABC"));
 * sim.addRule(SimRule.answer(Answer.DROP).times(1));               // close the connection, no answer
 * }</pre>
 *
 * @param answer what to answer
 * @param delay wait before answering (or dropping)
 * @param errorCode ERR-3.1 for error answers (table 0357)
 * @param errorLocation ERR-2 for error answers, e.g. {@code PID^1^3} (may be empty)
 * @param controlId only messages with this MSH-10 (null: any)
 * @param patientId only messages with this id in PID-3 (null: any)
 * @param times how many messages it applies to; -1: unlimited
 */
public record SimRule(Answer answer, Duration delay, String errorCode, String errorLocation, String controlId,
    String patientId, int times) {

  public static SimRule answer(Answer answer) {
    return new SimRule(answer, Duration.ZERO, defaultErrorCode(answer), "", null, null, -1);
  }

  public SimRule delay(Duration value) {
    return new SimRule(answer, value, errorCode, errorLocation, controlId, patientId, times);
  }

  public SimRule times(int value) {
    return new SimRule(answer, delay, errorCode, errorLocation, controlId, patientId, value);
  }

  public SimRule errorCode(String value) {
    return new SimRule(answer, delay, value, errorLocation, controlId, patientId, times);
  }

  public SimRule errorLocation(String value) {
    return new SimRule(answer, delay, errorCode, value, controlId, patientId, times);
  }

  public SimRule forControlId(String value) {
    return new SimRule(answer, delay, errorCode, errorLocation, value, patientId, times);
  }

  public SimRule forPatient(String value) {
    return new SimRule(answer, delay, errorCode, errorLocation, controlId, value, times);
  }

  boolean matches(String messageControlId, List<String> patientIds) {
    return (controlId == null || controlId.equals(messageControlId))
        && (patientId == null || patientIds.contains(patientId));
  }

  static String defaultErrorCode(Answer answer) {
    return switch (answer) {
      case AR, CR -> "200";
      case AE, CE -> "207";
      default -> "";
    };
  }

  /** One line, for the control endpoint and the console. */
  public String describe() {
    StringBuilder b = new StringBuilder(answer.name());
    if (!delay.isZero()) {
      b.append(" after ").append(delay.toMillis()).append(" ms");
    }
    if (answer.isError()) {
      b.append(" errCode=").append(errorCode);
      if (!errorLocation.isEmpty()) {
        b.append(" errLocation=").append(errorLocation);
      }
    }
    if (controlId != null) {
      b.append(" for controlId=").append(controlId);
    }
    if (patientId != null) {
      b.append(" for patient=").append(patientId);
    }
    b.append(times < 0 ? " (until cleared)" : " (" + times + " time" + (times == 1 ? "" : "s") + ")");
    return b.toString();
  }
}
