package io.telebridge.core.fromehr;

/** A coded value (HL7 CE/CWE): code, display text, coding system (e.g. {@code LN} for LOINC). */
public record Code(String code, String display, String system) {

  public boolean isEmpty() {
    return (code == null || code.isEmpty()) && (display == null || display.isEmpty());
  }
}
