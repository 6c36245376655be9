package io.telebridge.core.context;

/** A pull: for a platform patient of a tenant, optionally for one appointment (schedule or on demand). */
public record ContextRequest(String tenant, String platformPatientId, String appointmentId) {

  public ContextRequest {
    if (tenant == null || tenant.isBlank() || platformPatientId == null || platformPatientId.isBlank()) {
      throw new IllegalArgumentException("tenant and platformPatientId are required");
    }
  }
}
