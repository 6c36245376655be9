package io.telebridge.json;

import io.telebridge.core.error.RejectedException;

/**
 * The webhook body does not have the shape of {@code api/openapi.yaml#/components/schemas/WebhookEvent}
 * (it should have been refused at intake). Never retried. The message names a JSON Pointer and the
 * rule, never the value, and the parser's own exception is not chained (its message can quote the
 * input).
 */
public final class MalformedEventException extends RejectedException {

  private static final long serialVersionUID = 1L;

  private final String pointer;

  MalformedEventException(String pointer, String rule) {
    super((pointer.isEmpty() ? "the body" : pointer) + ": " + rule);
    this.pointer = pointer;
  }

  /** RFC 6901 JSON Pointer of the offending member ("" for the whole body). */
  public String pointer() {
    return pointer;
  }
}
