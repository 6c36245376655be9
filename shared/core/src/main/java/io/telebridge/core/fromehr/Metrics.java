package io.telebridge.core.fromehr;

import java.util.Map;

/** Port: counts for operators (CloudWatch EMF in AWS). Properties carry ids only. */
public interface Metrics {

  String UNLINKED_MRN_MESSAGES = "UnlinkedMrnMessages";
  String STALE_APPOINTMENT_UPDATES = "StaleAppointmentUpdates";
  String ECHOES_SUPPRESSED = "EchoesSuppressed";
  String CONFLICTS_KEPT_BY_POLICY = "ConflictsKeptByPolicy";

  void count(String metric, long value, Map<String, String> properties);

  /**
   * A count with dimensions (e.g. {@code Tenant}, {@code AckCode}): CloudWatch keeps one series per
   * combination, so dimension values are small closed sets or tenant ids, never message ids.
   */
  default void countBy(String metric, long value, Map<String, String> dimensions) {
    count(metric, value, dimensions);
  }

  /** A latency in milliseconds with dimensions. */
  default void millisBy(String metric, long millis, Map<String, String> dimensions) {
    count(metric, millis, dimensions);
  }
}
