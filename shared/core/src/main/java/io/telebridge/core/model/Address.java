package io.telebridge.core.model;

import java.util.List;

/** A postal address. PHI: redacted {@code toString}. */
public record Address(List<String> lines, String city, String state, String postalCode, String country) {

  public Address {
    lines = lines == null ? List.of() : List.copyOf(lines);
  }

  @Override
  public String toString() {
    return "Address[***]";
  }
}
