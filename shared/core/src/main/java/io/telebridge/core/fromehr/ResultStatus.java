package io.telebridge.core.fromehr;

import java.util.Locale;

/** HL7 table 0085 / 0123 result status, as the platform sees it. */
public enum ResultStatus {
  PRELIMINARY("preliminary"),
  FINAL("final"),
  CORRECTED("corrected"),
  CANCELLED("cancelled"),
  PARTIAL("partial"),
  UNKNOWN("unknown");

  private final String wireName;

  ResultStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** OBR-25 / OBX-11 code: P, F, C, X (D: deleted), A/R/I/S/O (partial or pending). */
  public static ResultStatus ofHl7(String code) {
    if (code == null || code.isBlank()) {
      return UNKNOWN;
    }
    return switch (code.trim().toUpperCase(Locale.ROOT)) {
      case "P" -> PRELIMINARY;
      case "F" -> FINAL;
      case "C" -> CORRECTED;
      case "X", "D" -> CANCELLED;
      case "A", "R", "I", "S", "O" -> PARTIAL;
      default -> UNKNOWN;
    };
  }
}
