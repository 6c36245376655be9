package io.telebridge.core.model;

import java.util.List;

/** A person's name as the platform sends it. PHI: {@code toString} is redacted. */
public record PersonName(List<String> given, String family, String prefix, String suffix) {

  public PersonName {
    given = given == null ? List.of() : List.copyOf(given);
  }

  @Override
  public String toString() {
    return "PersonName[***]";
  }
}
