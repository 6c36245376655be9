package io.telebridge.core.intake;

import io.telebridge.core.error.RejectedException;
import java.util.List;

/** The body is not JSON, or not a valid event: carries every bad field. */
public final class InvalidEventException extends RejectedException {

  private final transient List<InvalidField> fields;
  private final boolean malformedJson;

  public InvalidEventException(String message, List<InvalidField> fields) {
    this(message, fields, false);
  }

  private InvalidEventException(String message, List<InvalidField> fields, boolean malformedJson) {
    super(message);
    this.fields = List.copyOf(fields);
    this.malformedJson = malformedJson;
  }

  /** The body is not a JSON document at all (as opposed to JSON that breaks the schema). */
  public static InvalidEventException malformedJson(String detail) {
    return new InvalidEventException(detail, List.of(new InvalidField("", detail)), true);
  }

  public boolean malformedJson() {
    return malformedJson;
  }

  public List<InvalidField> fields() {
    return fields;
  }
}
