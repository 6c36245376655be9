package io.telebridge.core.identity;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Use case (the identity port of the scheduling flow): resolve a platform patient to the EHR by
 * exact cross-reference; an unknown patient is recorded as registered by this event. The
 * patient-matching issue replaces the lookup behind this same method.
 *
 * <p>Idempotent per event: a redelivery of the event that registered the patient resolves as new
 * again, so the registration message is re-emitted with the same control id (and deduplicated
 * downstream) instead of being lost when the first attempt failed after this write.
 */
public final class ResolvePatient {

  /** HL7 table 0203: patient internal identifier, used for the platform's id. */
  public static final String PLATFORM_ID_TYPE = "PI";

  private final PatientIdentities identities;
  private final String platformAuthority;
  private final Clock clock;

  public ResolvePatient(PatientIdentities identities, String platformAuthority, Clock clock) {
    this.identities = identities;
    this.platformAuthority = platformAuthority;
    this.clock = clock;
  }

  public Resolution resolve(String tenant, PatientDemographics patient, String eventId) {
    String platformId = patient.platformPatientId();
    CrossReference xref = identities.find(tenant, platformId)
        .orElseGet(() -> identities.registerIfAbsent(tenant, platformId, eventId, clock.instant()));
    boolean isNew = xref.ehrIdentifiers().isEmpty() && eventId.equals(xref.registeredByEvent());
    List<Identifier> ids = new ArrayList<>(xref.ehrIdentifiers());
    ids.add(new Identifier(platformId, platformAuthority, PLATFORM_ID_TYPE));
    return new Resolution(ids, isNew);
  }
}
