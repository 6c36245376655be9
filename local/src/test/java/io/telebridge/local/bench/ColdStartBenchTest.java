package io.telebridge.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cold start bench's options and fixtures' kinds (the runs themselves need the built jars: ./tb bench coldstart). */
class ColdStartBenchTest {

  @Test
  void allFunctionsByDefaultOrTheListedOnes() {
    assertEquals(ColdStartFixtures.ALL, ColdStartBench.functions("all"));
    assertEquals(6, ColdStartFixtures.ALL.size());
    assertTrue(ColdStartFixtures.ALL.containsAll(ColdStartFixtures.FHIR));
    assertEquals(List.of("IntakeFunction", "ContextFunction"), ColdStartBench.functions("IntakeFunction,ContextFunction"));
  }

  @Test
  void theThreeVariantsAndNoOther() {
    assertEquals(List.of("default", "c1", "primed", "cds"), ColdStartBench.variants("default,c1,primed,cds"));
    assertThrows(IllegalArgumentException.class, () -> ColdStartBench.variants("default,snapstart"));
  }

  @Test
  void everyFunctionHasItsOwnLabel() {
    assertEquals(ColdStartFixtures.ALL.size(),
        ColdStartFixtures.ALL.stream().map(ColdStartFixtures::label).distinct().count());
    assertEquals("context-api", ColdStartFixtures.label("ContextApiFunction"));
  }

  @Test
  void aStreamFixtureIsComparedWithTheBareStreamHandler() {
    ColdStartFixtures.Fixture pull = ColdStartFixtures.contextPull(null, "t", "p", "q");
    assertEquals("stream", pull.kind());
    assertEquals(BareStreamHandler.class.getName(), pull.bareHandler());
    java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("CONTEXT_CACHE_SECONDS", "300"));
    pull.adjust(env);
    assertEquals("0", env.get("CONTEXT_CACHE_SECONDS"), "every spawn pulls: the cache is off");
  }
}
