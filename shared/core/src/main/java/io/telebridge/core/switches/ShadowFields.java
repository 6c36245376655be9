package io.telebridge.core.switches;

import java.util.Map;
import java.util.Set;

/**
 * Port: what the comparison reads from one kept message (HL7 in {@code shared/hl7v2}). Values may be
 * PHI: they are compared, never reported.
 */
public interface ShadowFields {

  /** The message's fields, or null when it cannot be read (counted as unreadable, never compared). */
  Fields of(ShadowMessage message);

  /**
   * @param trigger the message's trigger event ({@code S12}): only messages of one trigger are paired
   * @param appointmentIds placer / filler appointment ids (SCH-1.1, SCH-2.1), with their kind ({@code placer:apt-1})
   * @param patientIds the patient's identifiers as {@code id^authority} (PID-3)
   * @param compared the documented fields, by name, normalised (absent: not in the message)
   */
  record Fields(String trigger, Set<String> appointmentIds, Set<String> patientIds, Map<String, String> compared) {

    public Fields {
      appointmentIds = Set.copyOf(appointmentIds);
      patientIds = Set.copyOf(patientIds);
      compared = Map.copyOf(compared);
    }

    @Override
    public String toString() {
      return "Fields[trigger=" + trigger + ", fields=" + compared.keySet() + "]";
    }
  }
}
