package io.telebridge.core.webhook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The webhook secrets accepted right now: the current one, and during a rotation the previous one.
 * Signatures are created with {@link #current()}; either secret verifies.
 */
public record SigningSecrets(String current, String previous) {

  public SigningSecrets {
    Objects.requireNonNull(current, "current");
    if (current.isBlank()) {
      throw new IllegalArgumentException("the current webhook secret is empty");
    }
    if (previous != null && previous.isBlank()) {
      previous = null;
    }
  }

  public static SigningSecrets of(String current) {
    return new SigningSecrets(current, null);
  }

  /** Every secret that verifies a signature, current first. */
  public List<String> active() {
    List<String> all = new ArrayList<>(2);
    all.add(current);
    if (previous != null) {
      all.add(previous);
    }
    return Collections.unmodifiableList(all);
  }

  @Override
  public String toString() {
    return "SigningSecrets[current=***, previous=" + (previous == null ? "none" : "***") + "]";
  }
}
