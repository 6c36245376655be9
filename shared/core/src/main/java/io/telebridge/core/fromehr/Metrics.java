package io.telebridge.core.fromehr;

import java.util.Map;

/** Port: counts for operators (CloudWatch EMF in AWS). Properties carry ids only. */
public interface Metrics {

  String UNLINKED_MRN_MESSAGES = "UnlinkedMrnMessages";
  String STALE_APPOINTMENT_UPDATES = "StaleAppointmentUpdates";
  String ECHOES_SUPPRESSED = "EchoesSuppressed";
  String CONFLICTS_KEPT_BY_POLICY = "ConflictsKeptByPolicy";

  void count(String metric, long value, Map<String, String> properties);
}
