package io.telebridge.core.intake;

import io.telebridge.core.error.RejectedException;
import java.util.List;

/** The body is not JSON, or not a valid event: carries every bad field. */
public final class InvalidEventException extends RejectedException {

  private final transient List<InvalidField> fields;

  public InvalidEventException(String message, List<InvalidField> fields) {
    super(message);
    this.fields = List.copyOf(fields);
  }

  public List<InvalidField> fields() {
    return fields;
  }
}
