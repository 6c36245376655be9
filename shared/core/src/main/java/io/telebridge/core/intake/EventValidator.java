package io.telebridge.core.intake;

/** Port: checks a webhook body against the published event schemas. */
public interface EventValidator {

  /**
   * @return the routing facts of a valid event
   * @throws InvalidEventException naming every bad field when the body is not valid JSON or breaks the schema
   */
  ValidatedEvent validate(byte[] body);
}
