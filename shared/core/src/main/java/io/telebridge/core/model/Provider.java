package io.telebridge.core.model;

/** A clinician: platform id, NPI, display name. */
public record Provider(String id, String npi, String name) {}
