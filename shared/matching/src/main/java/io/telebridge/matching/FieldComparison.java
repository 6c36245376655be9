package io.telebridge.matching;

/**
 * One field's comparison: no values, only the field name, the outcome, a short reason code and the
 * Fellegi–Sunter weight (log2 m/u) it contributed. Safe to log and show on the review screen.
 */
public record FieldComparison(String field, Outcome outcome, String reason, double weight) {}
