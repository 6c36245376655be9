package io.telebridge.json;

import io.telebridge.core.error.RejectedException;
import io.telebridge.core.intake.InvalidField;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The webhook body does not have the shape of {@code api/openapi.yaml#/components/schemas/WebhookEvent}
 * (it should have been refused at intake). Never retried. The message names a JSON Pointer and the
 * rule, never the value, and the parser's own exception is not chained (its message can quote the
 * input).
 */
public final class MalformedEventException extends RejectedException {

  private static final long serialVersionUID = 1L;

  private final transient List<InvalidField> fields;

  MalformedEventException(String pointer, String rule) {
    this(List.of(new InvalidField(pointer, rule)));
  }

  MalformedEventException(List<InvalidField> fields) {
    super(fields.stream()
        .map(f -> (f.pointer().isEmpty() ? "the body" : f.pointer()) + ": " + f.message())
        .collect(Collectors.joining("; ")));
    this.fields = List.copyOf(fields);
  }

  /** RFC 6901 JSON Pointer of the (first) offending member ("" for the whole body). */
  public String pointer() {
    return fields.get(0).pointer();
  }

  /** Every offending member with its rule. */
  public List<InvalidField> fields() {
    return fields;
  }
}
