package io.telebridge.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.telebridge.core.context.AssembleContext;
import io.telebridge.core.context.ContextOutcome;
import io.telebridge.core.context.ContextRequest;
import io.telebridge.core.context.ContextSources;
import io.telebridge.core.context.FhirProfile;
import io.telebridge.core.context.PatientContext;
import io.telebridge.core.model.Identifier;
import io.telebridge.fhir.FhirChartReader;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.json.ContextEventWriter;
import io.telebridge.local.fhirserver.FhirServer;
import io.telebridge.local.fhirserver.SyntheticCharts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts nothing about time): context assembly against the local HAPI FHIR
 * JPA server with a realistic chart (50 conditions, 30 MedicationRequests, 10 allergies, 500 laboratory
 * Observations), end to end through {@link AssembleContext} and the JSON writer. Skipped unless
 * {@code -Dbench.context=true}; iterations with {@code -Dbench.iterations=N} (default 200). Command in
 * docs/measurements.md.
 */
class ContextAssemblyBenchIT {

  @Test
  void printsContextAssemblyLatencyAndRoundTripsForARealisticChart() {
    assumeTrue(Boolean.getBoolean("bench.context"), "benchmark: run with -Dbench.context=true");
    int iterations = Integer.getInteger("bench.iterations", 200);
    FhirServer server = FhirServer.shared();
    long t0 = System.nanoTime();
    SyntheticCharts.realistic("ptbench1", "500001", Instant.now())
        .writeTo(FhirContexts.r4().newRestfulGenericClient(server.baseUrl()));
    System.out.printf("seeded the realistic chart (591 resources, transactions of 100) in %.1f s%n",
        (System.nanoTime() - t0) / 1e9);

    FhirChartReader reader = new FhirChartReader(FhirContexts.r4(),
        FhirChartReader.Settings.defaults("ehr-fhir", server.baseUrl(), Map.of(SyntheticCharts.MRN_SYSTEM, "EPI")),
        null);
    FhirProfile profile = FhirProfile.withDefaults(SyntheticCharts.MRN_SYSTEM);
    AssembleContext assemble = new AssembleContext(
        (tenant, patient) -> Optional.of(new Identifier("500001", "EPI", "MR")),
        tenant -> Optional.of(new ContextSources.Source(profile, reader)), Clock.systemUTC());
    ContextEventWriter writer = new ContextEventWriter();
    ContextRequest request = new ContextRequest("demo-clinic", "pat-bench-1", "apt-bench-1");

    for (int i = 0; i < 20; i++) {
      writer.write(assemble.assemble(request));
    }
    long[] nanos = new long[iterations];
    PatientContext last = null;
    int bytes = 0;
    for (int i = 0; i < iterations; i++) {
      long s = System.nanoTime();
      ContextOutcome outcome = assemble.assemble(request);
      bytes = writer.write(outcome).length();
      nanos[i] = System.nanoTime() - s;
      last = ((ContextOutcome.Ready) outcome).context();
    }
    Arrays.sort(nanos);
    System.out.printf("context assembly, realistic chart, %d iterations after 20 warm-up: p50 %.1f ms, p90 %.1f ms, "
            + "p99 %.1f ms, max %.1f ms; round trips per context %d; problems %d, medications %d, allergies %d, "
            + "results %d (complete: %s); JSON %d chars%n",
        iterations, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[iterations - 1] / 1e6,
        last.provenance().roundTrips(), last.problems().items().size(), last.medications().items().size(),
        last.allergies().items().size(), last.results().items().size(), last.results().complete(), bytes);
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
