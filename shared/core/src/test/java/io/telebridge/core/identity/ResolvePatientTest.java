package io.telebridge.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PatientDemographics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolvePatientTest {

  private final InMemoryPatientIdentities identities = new InMemoryPatientIdentities();
  private final ResolvePatient resolve =
      new ResolvePatient(identities, "PLATFORM", Clock.fixed(Instant.parse("2026-11-25T15:00:00Z"), ZoneOffset.UTC));
  private final PatientDemographics patient = new PatientDemographics("pat-1", null, null, null, null, null, null, null);

  @Test
  void registersAnUnknownPatientWithThePlatformIdUnderThePlatformAuthority() {
    Resolution r = resolve.resolve("acme", patient, "evt-1");
    assertTrue(r.newPatient());
    assertEquals(List.of(new Identifier("pat-1", "PLATFORM", "PI")), r.identifiers());
    assertEquals("evt-1", identities.xrefs.get("acme/pat-1").registeredByEvent());
  }

  @Test
  void aLaterEventForTheSamePatientIsNotARegistration() {
    resolve.resolve("acme", patient, "evt-1");
    assertFalse(resolve.resolve("acme", patient, "evt-2").newPatient());
  }

  @Test
  void aRedeliveryOfTheRegisteringEventRegistersAgainSoNothingIsLost() {
    resolve.resolve("acme", patient, "evt-1");
    assertTrue(resolve.resolve("acme", patient, "evt-1").newPatient());
  }

  @Test
  void sendsTheKnownMrnsFirst() {
    identities.xrefs.put("acme/pat-1", new CrossReference("acme", "pat-1",
        List.of(new Identifier("MRN-77", "EHR", "MR")), "evt-0", Instant.EPOCH));
    Resolution r = resolve.resolve("acme", patient, "evt-5");
    assertFalse(r.newPatient());
    assertEquals(List.of(new Identifier("MRN-77", "EHR", "MR"), new Identifier("pat-1", "PLATFORM", "PI")),
        r.identifiers());
  }

  @Test
  void tenantsDoNotShareCrossReferences() {
    resolve.resolve("acme", patient, "evt-1");
    assertTrue(resolve.resolve("other", patient, "evt-9").newPatient());
  }
}
