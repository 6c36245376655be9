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
    assertEquals(null, pull.bareStreamHandler(), "its bare handler is already a stream handler");
    java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("CONTEXT_CACHE_SECONDS", "300"));
    pull.adjust(env);
    assertEquals("0", env.get("CONTEXT_CACHE_SECONDS"), "every spawn pulls: the cache is off");
  }

  @Test
  void apiAndSqsFixturesHaveABarePojoAndABareStreamBaseline() {
    ColdStartFixtures.Fixture api = ofKind("api");
    ColdStartFixtures.Fixture sqs = ofKind("sqs");
    assertEquals(BareHandler.class.getName(), api.bareHandler());
    assertEquals(BareApiStreamHandler.class.getName(), api.bareStreamHandler());
    assertEquals(BareSqsHandler.class.getName(), sqs.bareHandler());
    assertEquals(BareSqsStreamHandler.class.getName(), sqs.bareStreamHandler());
  }

  private static ColdStartFixtures.Fixture ofKind(String kind) {
    return new ColdStartFixtures.Fixture() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public String describe() {
        return kind;
      }

      @Override
      public void prepare(java.nio.file.Path file, int n) {}

      @Override
      public ColdStartSpawn.Sample check(ColdStartSpawn.Sample s, boolean bare) {
        return s;
      }
    };
  }

  @Test
  void theProbeCountsKeysOfTheEventNotInsideABody() {
    String event = "{\"Records\":[{\"messageId\":\"a\",\"body\":\"{\\\"messageId\\\":1}\"},{\"messageId\":\"b\"}]}";
    assertEquals(2, ColdStartProbe.count(event, "\"messageId\""));
    assertEquals(0, ColdStartProbe.count("{\"batchItemFailures\":[]}", "\"itemIdentifier\""));
  }
}
