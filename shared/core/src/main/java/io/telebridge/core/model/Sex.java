package io.telebridge.core.model;

/** Administrative sex as the platform sends it. */
public enum Sex {
  FEMALE, MALE, OTHER, UNKNOWN;

  public static Sex of(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "female" -> FEMALE;
      case "male" -> MALE;
      case "other" -> OTHER;
      default -> UNKNOWN;
    };
  }
}
