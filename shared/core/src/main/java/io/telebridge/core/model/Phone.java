package io.telebridge.core.model;

/** A phone number; {@code use} is mobile, home or work. PHI: redacted {@code toString}. */
public record Phone(String use, String number) {
  @Override
  public String toString() {
    return "Phone[use=" + use + ", number=***]";
  }
}
