package io.telebridge.core.intake;

/**
 * One reason a request body is invalid.
 *
 * @param pointer the JSON Pointer (RFC 6901) of the offending field, {@code ""} for the document
 * @param message what is wrong, in words that name the rule, never the submitted value
 */
public record InvalidField(String pointer, String message) {}
