package io.telebridge.core.context;

import io.telebridge.core.model.TenantKeys;
import java.time.Instant;

/**
 * One scheduled pull. Pre-visit: for a tenant's appointment of a platform patient, at {@code at} (the
 * visit's start minus the tenant's lead time, or now when the booking falls inside the lead), one per
 * appointment. On demand ({@code onDemand}): an on-demand request the EHR was too slow for, handed on to
 * be pulled at once and delivered as a webhook (its appointment id may be null). Ids and a time: no PHI.
 */
public record PullSchedule(String tenant, String appointmentId, String platformPatientId, Instant at,
    boolean onDemand) {

  public PullSchedule {
    if (tenant == null || tenant.isBlank() || platformPatientId == null || platformPatientId.isBlank() || at == null
        || (!onDemand && (appointmentId == null || appointmentId.isBlank()))) {
      throw new IllegalArgumentException("tenant, appointmentId, platformPatientId and at are required");
    }
  }

  public PullSchedule(String tenant, String appointmentId, String platformPatientId, Instant at) {
    this(tenant, appointmentId, platformPatientId, at, false);
  }

  public static PullSchedule onDemand(ContextRequest request, Instant at) {
    return new PullSchedule(request.tenant(), request.appointmentId(), request.platformPatientId(), at, true);
  }

  /** The schedule's deterministic name for a tenant's appointment (idempotent create, update, delete). */
  public static String nameOf(String tenant, String appointmentId) {
    return "ctx-" + TenantKeys.sha256(tenant, appointmentId).substring(0, 40);
  }

  public String name() {
    return onDemand ? "ctx-now-" + TenantKeys.sha256(tenant, platformPatientId, String.valueOf(appointmentId))
        .substring(0, 40) : nameOf(tenant, appointmentId);
  }

  public ContextRequest request() {
    return new ContextRequest(tenant, platformPatientId, appointmentId);
  }
}
