package io.telebridge.core.fromehr;

import java.util.Locale;

/** The appointment fields the conflict rule keeps per source: time (start/end), provider, status. */
public enum AppointmentField {
  TIME, PROVIDER, STATUS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
