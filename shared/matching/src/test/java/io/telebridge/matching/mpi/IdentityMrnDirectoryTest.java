package io.telebridge.matching.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.model.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityMrnDirectoryTest {

  static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
  static final Identifier EPI = new Identifier("100234", "EPI", "MR");
  static final Identifier CERNER = new Identifier("C-77", "CERNMRN", "MR");

  final InMemoryIdentityStore store = new InMemoryIdentityStore();
  final IdentityMrnDirectory directory = new IdentityMrnDirectory(store, Map.of("demo-clinic", "EPI"));

  @Test
  void aLinkedPatientGivesTheMrnOfTheTenantsFhirAuthority() {
    store.savePerson(new Person("per-1", "demo-clinic", List.of(CERNER, new Identifier("pat-1001", "PLATFORM", "PI"),
        EPI), null, T));
    store.saveXref(CrossReference.linked("demo-clinic", "pat-1001", "per-1", null, T));
    assertEquals(Optional.of(EPI), directory.mrnOf("demo-clinic", "pat-1001"));
    assertEquals(Optional.empty(), directory.mrnOf("other-clinic", "pat-1001"));
  }

  @Test
  void aMergedChartIsFollowedToItsSurvivor() {
    store.savePerson(new Person("per-old", "demo-clinic", List.of(new Identifier("100877", "EPI", "MR")), "per-new", T));
    store.savePerson(new Person("per-new", "demo-clinic", List.of(EPI), null, T));
    store.saveXref(CrossReference.linked("demo-clinic", "pat-1002", "per-old", null, T));
    assertEquals(Optional.of(EPI), directory.mrnOf("demo-clinic", "pat-1002"));
  }

  @Test
  void aParkedPatientOrOneWithoutMrnHasNone() {
    store.savePerson(new Person("per-2", "demo-clinic", List.of(new Identifier("pat-1003", "PLATFORM", "PI")), null, T));
    store.saveXref(CrossReference.linked("demo-clinic", "pat-1003", "per-2", null, T));
    store.savePerson(new Person("per-3", "demo-clinic", List.of(EPI), null, T));
    store.saveXref(CrossReference.linked("demo-clinic", "pat-1004", "per-3", null, T)
        .withPerson("per-3", CrossReference.State.PARKED));
    assertEquals(Optional.empty(), directory.mrnOf("demo-clinic", "pat-1003"));
    assertEquals(Optional.empty(), directory.mrnOf("demo-clinic", "pat-1004"));
    assertEquals(Optional.empty(), directory.mrnOf("demo-clinic", "pat-unknown"));
  }
}
