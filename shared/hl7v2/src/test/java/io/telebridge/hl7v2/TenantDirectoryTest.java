package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which tenant owns which EHR connection and authority: parsing and the refusals that keep tenants apart. */
class TenantDirectoryTest {

  private static final EhrProfile GENERIC = EhrProfile.fromClasspath("ehr-profiles/generic-epic-like.yaml");
  private static final EhrProfile COMMUNITY = EhrProfile.fromClasspath("ehr-profiles/community-clinic-ehr.json");
  private static final Function<String, EhrProfile> PROFILES =
      Map.of("generic-epic-like", GENERIC, "community", COMMUNITY)::get;

  @Test
  void routesEachSendingFacilityToTheTenantThatOwnsItAndNoOtherFacilityToAnyone() {
    TenantDirectory d = TenantDirectory.parse("{\"demo\": {\"ehrFacilities\": [\"MAIN_CLINIC\"]},"
        + " \"north\": {\"ehrProfile\": \"community\", \"ehrFacilities\": [\"CC_WEST\"]}}", null, "generic-epic-like",
        PROFILES);
    assertEquals("demo", d.ofFacility("MAIN_CLINIC").orElseThrow().id());
    assertEquals("north", d.ofFacility("CC_WEST").orElseThrow().id());
    assertTrue(d.ofFacility("ROGUE_HOSP").isEmpty(), "a connection no tenant owns is never guessed");
    assertEquals(GENERIC.authorities().platform().namespaceId(), d.platformAuthorities().get("demo"));
    assertEquals(COMMUNITY.authorities().platform().namespaceId(), d.platformAuthorities().get("north"));
  }

  @Test
  void aSingleTenantWithoutFacilitiesOwnsTheWholeConnectionAndTheLegacyTenantVariableStillWorks() {
    TenantDirectory d = TenantDirectory.parse("", "demo-clinic", "generic-epic-like", PROFILES);
    assertEquals("demo-clinic", d.ofFacility("ANYTHING").orElseThrow().id());
  }

  @Test
  void refusesTenantsSharingAPlatformAuthorityOrAFacilityOrMissingTheirFacilities() {
    IllegalArgumentException sameAuthority = assertThrows(IllegalArgumentException.class, () -> TenantDirectory.parse(
        "{\"a\": {\"ehrFacilities\": [\"F1\"]}, \"b\": {\"ehrFacilities\": [\"F2\"]}}", null, "generic-epic-like",
        PROFILES));
    assertTrue(sameAuthority.getMessage().contains("share the platform assigning authority"), sameAuthority.getMessage());
    IllegalArgumentException sameFacility = assertThrows(IllegalArgumentException.class, () -> TenantDirectory.parse(
        "{\"a\": {\"ehrFacilities\": [\"F1\"]}, \"b\": {\"ehrProfile\": \"community\", \"ehrFacilities\": [\"F1\"]}}",
        null, "generic-epic-like", PROFILES));
    assertTrue(sameFacility.getMessage().contains("belongs to both"), sameFacility.getMessage());
    IllegalArgumentException noFacility = assertThrows(IllegalArgumentException.class, () -> TenantDirectory.parse(
        "{\"a\": {\"ehrFacilities\": [\"F1\"]}, \"b\": {\"ehrProfile\": \"community\"}}", null, "generic-epic-like",
        PROFILES));
    assertTrue(noFacility.getMessage().contains("needs ehrFacilities"), noFacility.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TenantDirectory.parse("{\"a\": {\"ehrProfil\": \"x\"}}", null,
        "generic-epic-like", PROFILES), "a typo is refused, never a silent default");
  }
}
