package io.telebridge.core.switches;

import java.util.Locale;

/** What a flow does with what it would send: send it, drop it (journaled), or keep it for comparison. */
public enum FlowMode {
  /** Today's behaviour, and the default of a flow nobody switched. */
  ON,
  /** Recorded in the journal and acknowledged; nothing is sent. */
  OFF,
  /** Everything runs; what would be sent is kept in the shadow store (and journaled) instead. */
  SHADOW;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FlowMode fromWire(String name) {
    String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    for (FlowMode m : values()) {
      if (m.name().equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown mode '" + name + "' (on, off or shadow)");
  }
}
