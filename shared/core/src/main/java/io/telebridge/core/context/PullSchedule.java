package io.telebridge.core.context;

import io.telebridge.core.model.TenantKeys;
import java.time.Instant;

/**
 * One pre-visit pull: for a tenant's appointment of a platform patient, at {@code at} (the visit's start
 * minus the tenant's lead time, or now when the booking falls inside the lead). Ids and a time: no PHI.
 */
public record PullSchedule(String tenant, String appointmentId, String platformPatientId, Instant at) {

  public PullSchedule {
    if (tenant == null || tenant.isBlank() || appointmentId == null || appointmentId.isBlank()
        || platformPatientId == null || platformPatientId.isBlank() || at == null) {
      throw new IllegalArgumentException("tenant, appointmentId, platformPatientId and at are required");
    }
  }

  /** The schedule's deterministic name for a tenant's appointment (idempotent create, update, delete). */
  public static String nameOf(String tenant, String appointmentId) {
    return "ctx-" + TenantKeys.sha256(tenant, appointmentId).substring(0, 40);
  }

  public String name() {
    return nameOf(tenant, appointmentId);
  }

  public ContextRequest request() {
    return new ContextRequest(tenant, platformPatientId, appointmentId);
  }
}
