package io.telebridge.core.intake;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * An RFC 9457 problem detail. Never carries submitted values: field pointers and rule names only.
 *
 * @param retryAfter set for retryable problems (503), sent as Retry-After
 */
public record Problem(URI type, String title, int status, String detail, List<InvalidField> errors, Duration retryAfter) {

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  static Problem of(String slug, String title, int status, String detail) {
    return new Problem(URI.create("urn:telebridge:problem:" + slug), title, status, detail, List.of(), null);
  }

  Problem withErrors(List<InvalidField> fields) {
    return new Problem(type, title, status, detail, fields, retryAfter);
  }

  Problem withRetryAfter(Duration after) {
    return new Problem(type, title, status, detail, errors, after);
  }
}
