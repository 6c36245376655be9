package io.telebridge.core.fromehr;

import java.util.Optional;

/** Port: appointment state for the conflict rule (DynamoDB in AWS), versioned with conditional writes. */
public interface AppointmentStates {

  Optional<AppointmentState> load(String tenant, String key);

  /**
   * Stores {@code next} (with version {@code expectedVersion + 1}) if the stored version is still
   * {@code expectedVersion} (0: nothing stored yet).
   *
   * @return false when someone else wrote in between (the caller reloads and decides again)
   * @throws io.telebridge.core.error.TransientException when the store is unavailable
   */
  boolean save(AppointmentState next, long expectedVersion);
}
