package io.telebridge.core.model;

/** A code from a code system, FHIR Coding style (system URI, code, display). */
public record Coding(String system, String code, String display) {}
