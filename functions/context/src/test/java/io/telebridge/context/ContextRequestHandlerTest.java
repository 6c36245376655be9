package io.telebridge.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.context.AssembleContext;
import io.telebridge.core.context.Chart;
import io.telebridge.core.context.ChartQuery;
import io.telebridge.core.context.ChartReader;
import io.telebridge.core.context.ContextCache;
import io.telebridge.core.context.ContextOutcome;
import io.telebridge.core.context.ContextSchedules;
import io.telebridge.core.context.PatientContext;
import io.telebridge.core.context.PullContext;
import io.telebridge.core.context.PullSchedule;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.TenantSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import io.telebridge.json.ContextEventWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextRequestHandlerTest {

  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  static final String SECRET = "demo-secret-0001";
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final List<ContextOutcome> sent = new ArrayList<>();
  final List<PullSchedule> handedOn = new ArrayList<>();
  final Map<String, String> cached = new java.util.HashMap<>();
  final io.telebridge.core.switches.InMemoryFlowSwitches switches = new io.telebridge.core.switches.InMemoryFlowSwitches();
  final io.telebridge.core.switches.InMemoryShadowStore shadows = new io.telebridge.core.switches.InMemoryShadowStore();
  final io.telebridge.core.journal.InMemoryJournal journal = new io.telebridge.core.journal.InMemoryJournal();
  volatile RuntimeException readFailure;
  volatile long readDelayMillis;

  final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

  final ChartReader reader = new ChartReader() {
    @Override
    public Chart read(ChartQuery query) {
      reads.incrementAndGet();
      if (readDelayMillis > 0) {
        try {
          Thread.sleep(readDelayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (readFailure != null) {
        throw readFailure;
      }
      return Chart.notFound(1); // no Patient with the MRN
    }

    @Override
    public String source() {
      return "ehr-fhir";
    }

    @Override
    public String baseUrl() {
      return "http://fhir.test";
    }
  };

  ContextRequestHandler handler(Duration wait) {
    AssembleContext assemble = new AssembleContext(
        (t, p) -> "pat-1".equals(p) ? Optional.of(new io.telebridge.core.model.Identifier("1", "EPI", "MR")) : Optional.empty(),
        t -> Optional.of(new io.telebridge.core.context.ContextSources.Source(
            io.telebridge.core.context.FhirProfile.withDefaults("urn:oid:1"), reader)), clock);
    ContextCache cache = new ContextCache() {
      @Override
      public Optional<String> fresh(String tenant, String platformPatientId, Instant now) {
        return Optional.ofNullable(cached.get(tenant + "#" + platformPatientId));
      }

      @Override
      public void put(PatientContext context) {}
    };
    PullContext pull = new PullContext(assemble, null, sent::add, cache, (r, reason) -> { }, clock,
        new io.telebridge.core.switches.FlowGate(new io.telebridge.core.switches.CachedFlowSwitches(switches,
            Duration.ZERO, clock), shadows, journal, clock), new ContextEventWriter()::write);
    ContextSchedules schedules = new ContextSchedules() {
      @Override
      public void put(PullSchedule schedule) {
        handedOn.add(schedule);
      }

      @Override
      public void delete(String tenant, String appointmentId) {}
    };
    return new ContextRequestHandler(new ContextWiring(pull, cache, new ContextEventWriter(),
        () -> new TenantSecrets(Map.of("demo-clinic", new SigningSecrets(SECRET, null), "north-clinic",
            new SigningSecrets("north-secret-0001", null))), schedules, clock, wait));
  }

  static HttpApiRequest signed(String secret, String body) {
    long ts = NOW.getEpochSecond();
    return HttpApiRequest.of("POST", "/v1/context-requests", Map.of("content-type", "application/json",
        "x-telebridge-timestamp", Long.toString(ts),
        "x-telebridge-signature", WebhookSignature.sign(secret, ts, body.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        body);
  }

  @Test
  void primingRunsTheHandlerButPullsSendsAndSchedulesNothing() throws Exception {
    ContextRequestHandler handler = handler(Duration.ofSeconds(1));
    io.telebridge.aws.Priming priming = io.telebridge.aws.Priming.of("context-api")
        .step("refused request", handler::prime).build();

    assertEquals(1, priming.prime());

    assertEquals(0, reads.get(), "no FHIR read");
    assertTrue(sent.isEmpty(), "nothing on the to-platform queue");
    assertTrue(handedOn.isEmpty(), "no schedule");
  }

  @Test
  void aFreshCachedContextIsAnsweredWithoutAPull() {
    cached.put("demo-clinic#pat-1", "{\"problems\":[]}");
    HttpApiResponse r = handler(Duration.ofSeconds(1)).handle(
        signed(SECRET, "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\"}"), null);
    assertEquals(200, r.statusCode());
    assertEquals("cached", r.headers().get("X-Telebridge-Context"));
    assertEquals("{\"problems\":[]}", r.body());
    assertTrue(sent.isEmpty());
  }

  @Test
  void theContextFlowOffOrInShadowIsAProblemSayingSoAndNothingIsDeliveredNorServedFromTheCache() {
    cached.put("demo-clinic#pat-1", "{\"problems\":[]}");
    switches.set(new io.telebridge.core.switches.FlowSwitch("demo-clinic", io.telebridge.core.switches.Flow.CONTEXT,
        io.telebridge.core.switches.FlowMode.OFF, NOW, "ops"));
    ContextRequestHandler h = handler(Duration.ofSeconds(1));
    HttpApiResponse off = h.handle(signed(SECRET, "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\"}"),
        null);
    assertEquals(503, off.statusCode());
    assertEquals("application/problem+json", off.headers().get("Content-Type"));
    assertTrue(off.body().contains("urn:telebridge:problem:flow-off"), off.body());
    assertTrue(off.body().contains("switched off"), off.body());
    assertTrue(!off.headers().containsKey("Retry-After"), "no retry: it lasts until switched on");
    assertEquals("switched-off", journal.all().getFirst().outcome());

    switches.set(new io.telebridge.core.switches.FlowSwitch("demo-clinic", io.telebridge.core.switches.Flow.CONTEXT,
        io.telebridge.core.switches.FlowMode.SHADOW, NOW, "ops"));
    HttpApiResponse shadow = h.handle(signed(SECRET,
        "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\"}"), null);
    assertEquals(503, shadow.statusCode());
    assertTrue(shadow.body().contains("urn:telebridge:problem:flow-shadow"), shadow.body());
    assertTrue(sent.isEmpty(), "nothing for the platform delivery");
    assertEquals(1, shadows.kept("demo-clinic", io.telebridge.core.switches.ShadowMessage.Side.TELEBRIDGE,
        Instant.EPOCH, Instant.MAX).size(), "the pulled outcome is kept for comparison");
    assertEquals("shadowed", journal.all().getLast().outcome());
  }

  @Test
  void anUnlinkedPatientIs404AndTheUnavailableEventIsSent() {
    HttpApiResponse r = handler(Duration.ofSeconds(1)).handle(
        signed(SECRET, "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-9\"}"), null);
    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("patient_not_linked"), r.body());
    assertEquals("patient.context.unavailable", sent.getFirst().eventType());
  }

  @Test
  void aFhirServerDownIs503WithRetryAfter() {
    readFailure = new TransientException("FHIR down", null);
    HttpApiResponse r = handler(Duration.ofSeconds(1)).handle(
        signed(SECRET, "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\"}"), null);
    assertEquals(503, r.statusCode());
    assertTrue(r.headers().containsKey("Retry-After"));
  }

  @Test
  void aSlowEhrIs202AndThePullIsHandedToAScheduleNow() {
    readDelayMillis = 2_000;
    HttpApiResponse r = handler(Duration.ofMillis(100)).handle(
        signed(SECRET, "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\",\"appointmentId\":\"apt-1\"}"), null);
    assertEquals(202, r.statusCode());
    PullSchedule s = handedOn.getFirst();
    assertTrue(s.onDemand());
    assertEquals(NOW, s.at());
    assertEquals("apt-1", s.appointmentId());
  }

  @Test
  void anotherTenantsSignatureOrABadBodyIsRefused() {
    ContextRequestHandler h = handler(Duration.ofSeconds(1));
    assertEquals(401, h.handle(signed("north-secret-0001", "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\"}"),
        null).statusCode());
    assertEquals(401, h.handle(signed("wrong", "{\"tenant\":\"demo-clinic\",\"patientId\":\"pat-1\"}"), null)
        .statusCode());
    HttpApiResponse bad = h.handle(signed(SECRET, "{\"tenant\":\"demo-clinic\",\"extra\":1}"), null);
    assertEquals(400, bad.statusCode());
    assertEquals("application/problem+json", bad.headers().get("Content-Type"));
    assertTrue(bad.body().contains("/patientId") && bad.body().contains("/extra"), bad.body());
  }
}
