package io.telebridge.core.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.core.webhook.SigningSecrets;
import io.telebridge.core.webhook.TenantSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcceptWebhookTest {

  private static final String SECRET = "test-secret";

  /** A clock the test moves forward. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T15:00:00Z"));

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }
  }

  private MovableClock clock;
  private InMemoryIdempotencyStore store;
  private InMemoryEventQueue queue;
  private AcceptWebhook accept;

  @BeforeEach
  void setUp() {
    clock = new MovableClock();
    IntakeSettings settings = new IntakeSettings(1024, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5));
    store = new InMemoryIdempotencyStore(settings.claimLease());
    queue = new InMemoryEventQueue();
    accept = new AcceptWebhook(new FakeValidator(), store, queue, () -> SECRETS, clock, settings);
  }

  private static final TenantSecrets SECRETS = new TenantSecrets(java.util.Map.of(
      "acme", SigningSecrets.of(SECRET),
      "north", new SigningSecrets("north-new-secret", "north-old-secret")));

  private WebhookRequest signedWith(String secret, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long ts = clock.instant().getEpochSecond();
    return new WebhookRequest("application/json", Long.toString(ts), WebhookSignature.sign(secret, ts, bytes), bytes);
  }

  private static String eventOf(String tenant, String id, String patient) {
    return "{\"id\":\"" + id + "\",\"patient\":\"" + patient + "\",\"type\":\"appointment.booked\",\"tenant\":\"" + tenant + "\"}";
  }

  @Test
  void refusesWith401AnEventWhoseBodyNamesAnotherTenantThanTheOneWhoseSecretSignedIt() {
    IntakeResult result = accept.accept(signedWith("north-new-secret", eventOf("acme", "evt-x", "pat-1")));

    assertEquals(401, status(result));
    assertEquals("urn:telebridge:problem:tenant-mismatch",
        ((IntakeResult.Refused) result).problem().type().toString());
    assertEquals(0, queue.sent.size(), "nothing is queued");
  }

  @Test
  void acceptsEachTenantsEventSignedWithEitherOfItsTwoActiveSecrets() {
    assertEquals(202, status(accept.accept(signedWith("north-new-secret", eventOf("north", "evt-1", "pat-1")))));
    assertEquals(202, status(accept.accept(signedWith("north-old-secret", eventOf("north", "evt-2", "pat-1")))));
    assertEquals(202, status(accept.accept(signedWith(SECRET, eventOf("acme", "evt-3", "pat-1")))));
    assertEquals(401, status(accept.accept(signedWith("nobodys-secret", eventOf("acme", "evt-4", "pat-1")))));
  }

  @Test
  void queuesTwoTenantsEventsOfTheSameIdsInTheirOwnGroupsWithTheirOwnDeduplicationIds() {
    accept.accept(signedWith(SECRET, eventOf("acme", "evt-same", "pat-same")));
    accept.accept(signedWith("north-new-secret", eventOf("north", "evt-same", "pat-same")));

    assertEquals(2, queue.sent.size(), "both tenants' events are queued");
    assertNotEquals(queue.sent.get(0).groupId(), queue.sent.get(1).groupId());
    assertNotEquals(queue.sent.get(0).deduplicationId(), queue.sent.get(1).deduplicationId());
  }

  private WebhookRequest signed(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long ts = clock.instant().getEpochSecond();
    return new WebhookRequest("application/json", Long.toString(ts), WebhookSignature.sign(SECRET, ts, bytes), bytes);
  }

  private static String event(String id, String patient) {
    return "{\"id\":\"" + id + "\",\"patient\":\"" + patient + "\",\"type\":\"appointment.booked\"}";
  }

  private static int status(IntakeResult r) {
    return r instanceof IntakeResult.Refused refused ? refused.problem().status() : 202;
  }

  @Test
  void acceptsAValidEventAndEnqueuesItGroupedByPatientAndDeduplicatedByEventId() {
    IntakeResult result = accept.accept(signed(event("evt-1", "pat-9")));

    IntakeResult.Accepted accepted = assertInstanceOf(IntakeResult.Accepted.class, result);
    assertEquals("evt-1", accepted.eventId());
    assertFalse(accepted.replay());
    assertEquals(1, queue.sent.size());
    assertEquals("acme:pat-9", queue.sent.get(0).groupId());
    assertEquals("acme:evt-1", queue.sent.get(0).deduplicationId());
    assertEquals(event("evt-1", "pat-9"), new String(queue.sent.get(0).body(), StandardCharsets.UTF_8));
  }

  @Test
  void answersTheSameEventIdAgainHoursLaterWithoutEnqueueingTwice() {
    accept.accept(signed(event("evt-1", "pat-9")));
    clock.advance(Duration.ofHours(6));

    IntakeResult again = accept.accept(signed(event("evt-1", "pat-9")));

    assertTrue(assertInstanceOf(IntakeResult.Accepted.class, again).replay());
    assertEquals(1, queue.sent.size());
  }

  @Test
  void refusesAnEventIdReusedForDifferentContent() {
    accept.accept(signed(event("evt-1", "pat-9")));
    IntakeResult other = accept.accept(signed(event("evt-1", "pat-10")));
    assertEquals(409, status(other));
    assertEquals(1, queue.sent.size());
  }

  @Test
  void answers503WithRetryAfterWhenTheQueueIsDownAndAcceptsTheRetryLater() {
    queue.down = true;
    IntakeResult first = accept.accept(signed(event("evt-1", "pat-9")));
    assertEquals(503, status(first));
    assertEquals(Duration.ofSeconds(5), ((IntakeResult.Refused) first).problem().retryAfter());
    assertTrue(queue.sent.isEmpty());

    queue.down = false;
    clock.advance(Duration.ofSeconds(5));
    IntakeResult retry = accept.accept(signed(event("evt-1", "pat-9")));

    assertFalse(assertInstanceOf(IntakeResult.Accepted.class, retry).replay());
    assertEquals(1, queue.sent.size());
  }

  @Test
  void answers503WhenTheIdempotencyStoreIsDownAndEnqueuesNothing() {
    store.down = true;
    assertEquals(503, status(accept.accept(signed(event("evt-1", "pat-9")))));
    assertTrue(queue.sent.isEmpty());
    store.down = false;
    assertEquals(202, status(accept.accept(signed(event("evt-1", "pat-9")))));
    assertEquals(1, queue.sent.size());
  }

  @Test
  void answers503WhileAConcurrentRequestHoldsTheClaim() {
    store.claim("acme/evt-1", "hash", clock.instant());
    IntakeResult busy = accept.accept(signed(event("evt-1", "pat-9")));
    assertEquals(503, status(busy));
    assertEquals(Duration.ofSeconds(30), ((IntakeResult.Refused) busy).problem().retryAfter());
    clock.advance(Duration.ofSeconds(31));
    assertEquals(202, status(accept.accept(signed(event("evt-1", "pat-9")))));
    assertEquals(1, queue.sent.size());
  }

  @Test
  void stillAnswers202WhenTheEventIsQueuedButTheCompletionWriteFails() {
    IdempotencyStore flaky = new IdempotencyStore() {
      @Override
      public Claim claim(String key, String bodyHash, Instant now) {
        return new Claim.Claimed("t");
      }

      @Override
      public void complete(String key, String token, String messageId, Instant now) {
        throw new io.telebridge.core.error.TransientException("down", null);
      }

      @Override
      public void release(String key, String token) {}
    };
    AcceptWebhook withFlakyStore = new AcceptWebhook(new FakeValidator(), flaky, queue, () -> SECRETS,
        clock, IntakeSettings.defaults());
    assertEquals(202, status(withFlakyStore.accept(signed(event("evt-1", "pat-9")))));
    assertEquals(1, queue.sent.size());
  }

  @Test
  void refusesEachBadRequestWithItsStatusAndEnqueuesNothing() {
    byte[] body = event("evt-1", "pat-9").getBytes(StandardCharsets.UTF_8);
    long ts = clock.instant().getEpochSecond();
    String sig = WebhookSignature.sign(SECRET, ts, body);

    assertEquals(415, status(accept.accept(new WebhookRequest("text/plain", Long.toString(ts), sig, body))));
    assertEquals(415, status(accept.accept(new WebhookRequest(null, Long.toString(ts), sig, body))));
    assertEquals(415, status(accept.accept(new WebhookRequest("application/json; charset=iso-8859-1", Long.toString(ts), sig, body))));
    assertEquals(413, status(accept.accept(signed("{\"id\":\"" + "x".repeat(2000) + "\"}"))));
    assertEquals(401, status(accept.accept(new WebhookRequest("application/json", Long.toString(ts), null, body))));
    assertEquals(401, status(accept.accept(new WebhookRequest("application/json", Long.toString(ts),
        WebhookSignature.sign("wrong", ts, body), body))));
    long stale = ts - 301;
    assertEquals(401, status(accept.accept(new WebhookRequest("application/json", Long.toString(stale),
        WebhookSignature.sign(SECRET, stale, body), body))));
    IntakeResult invalid = accept.accept(signed("{\"not\":\"an event\"}"));
    assertEquals(400, status(invalid));
    assertEquals(List.of("/id", "/patient"),
        ((IntakeResult.Refused) invalid).problem().errors().stream().map(InvalidField::pointer).toList());

    assertTrue(queue.sent.isEmpty());
    assertTrue(store.entries.isEmpty());
  }

  @Test
  void acceptsJsonWithAUtf8CharsetParameter() {
    byte[] body = event("evt-1", "pat-9").getBytes(StandardCharsets.UTF_8);
    long ts = clock.instant().getEpochSecond();
    WebhookRequest request = new WebhookRequest("Application/JSON; charset=\"UTF-8\"", Long.toString(ts),
        WebhookSignature.sign(SECRET, ts, body), body);
    assertEquals(202, status(accept.accept(request)));
  }

  @Test
  void logsIdsButNeverTheBody() {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        lines.add(new java.util.logging.SimpleFormatter().formatMessage(record));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(AcceptWebhook.class.getName());
    logger.addHandler(capture);
    try {
      accept.accept(signed("{\"id\":\"evt-1\",\"patient\":\"pat-9\",\"type\":\"appointment.booked\",\"name\":\"Jane Roe\"}"));
      queue.down = true;
      accept.accept(signed("{\"id\":\"evt-2\",\"patient\":\"pat-9\",\"type\":\"appointment.booked\",\"name\":\"Jane Roe\"}"));
      accept.accept(signed("{\"name\":\"Jane Roe\",\"birthDate\":\"1980-01-01\"}"));
    } finally {
      logger.removeHandler(capture);
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("evt-1")), "logs name the event id: " + lines);
    assertTrue(lines.stream().noneMatch(l -> l.contains("Jane") || l.contains("1980")), "no PHI in: " + lines);
  }

  // ------------------------------------------------------------------ big notes: the claim check

  private static String note(String id, int padding) {
    return "{\"id\":\"" + id + "\",\"patient\":\"pat-9\",\"type\":\"visit.note_signed\",\"pad\":\"" + "n".repeat(padding) + "\"}";
  }

  private AcceptWebhook withClaimChecks(io.telebridge.core.claimcheck.InMemoryPayloadStore payloads) {
    IntakeSettings settings = new IntakeSettings(1024, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5), 8192);
    return new AcceptWebhook(new FakeValidator(), store, queue, () -> SECRETS, clock, settings,
        new io.telebridge.core.claimcheck.ClaimChecks(payloads));
  }

  @Test
  void storesANoteAboveTheInlineLimitBeforeQueueingItsClaimCheck() {
    var payloads = new io.telebridge.core.claimcheck.InMemoryPayloadStore();
    String body = note("evt-big", 5000);
    assertEquals(202, status(withClaimChecks(payloads).accept(signed(body))));

    String key = io.telebridge.core.claimcheck.ClaimChecks.key("intake", "acme", "evt-big", ".json");
    assertEquals(body, new String(payloads.objects.get(key), StandardCharsets.UTF_8), "the body, byte for byte");
    var check = io.telebridge.core.claimcheck.ClaimCheck.in(new String(queue.sent.get(0).body(), StandardCharsets.UTF_8))
        .orElseThrow();
    assertEquals(key, check.key());
    assertEquals(body.length(), check.size());
    assertEquals("acme:pat-9", queue.sent.get(0).groupId(), "the patient's group, as an inline event");
    assertEquals("acme:evt-big", queue.sent.get(0).deduplicationId());
  }

  @Test
  void keepsASmallNoteInline() {
    var payloads = new io.telebridge.core.claimcheck.InMemoryPayloadStore();
    assertEquals(202, status(withClaimChecks(payloads).accept(signed(note("evt-small", 10)))));
    assertTrue(payloads.objects.isEmpty());
    assertEquals(note("evt-small", 10), new String(queue.sent.get(0).body(), StandardCharsets.UTF_8));
  }

  @Test
  void refusesAnotherTypeAboveTheInlineLimitWith413NamingItsLimit() {
    var payloads = new io.telebridge.core.claimcheck.InMemoryPayloadStore();
    String body = "{\"id\":\"evt-b\",\"patient\":\"pat-9\",\"type\":\"appointment.booked\",\"pad\":\"" + "b".repeat(3000) + "\"}";
    IntakeResult result = withClaimChecks(payloads).accept(signed(body));
    assertEquals(413, status(result));
    String detail = ((IntakeResult.Refused) result).problem().detail();
    assertTrue(detail.contains("the limit for appointment.booked is 1024"), detail);
    assertTrue(payloads.objects.isEmpty() && queue.sent.isEmpty(), "nothing stored, nothing queued");
  }

  @Test
  void refusesAnInvalidBodyAboveTheInlineLimitWith413NotAsABadNote() {
    var payloads = new io.telebridge.core.claimcheck.InMemoryPayloadStore();
    IntakeResult result = withClaimChecks(payloads).accept(signed("{\"id\":\"" + "x".repeat(3000) + "\"}"));
    assertEquals(413, status(result));
    String detail = ((IntakeResult.Refused) result).problem().detail();
    assertTrue(detail.contains("the limit is 1024"), detail);
    assertTrue(payloads.objects.isEmpty() && queue.sent.isEmpty(), "nothing stored, nothing queued");
  }

  @Test
  void refusesANoteAboveTheNoteLimitWith413NamingBothLimits() {
    var payloads = new io.telebridge.core.claimcheck.InMemoryPayloadStore();
    IntakeResult result = withClaimChecks(payloads).accept(signed(note("evt-huge", 9000)));
    assertEquals(413, status(result));
    String detail = ((IntakeResult.Refused) result).problem().detail();
    assertTrue(detail.contains("the limit is 8192 for visit.note_signed and 1024 for every other type"), detail);
    assertTrue(payloads.objects.isEmpty() && queue.sent.isEmpty());
  }

  @Test
  void answers503AndReleasesTheClaimWhenThePayloadStoreIsDownSoARetryGoesThrough() {
    var payloads = new io.telebridge.core.claimcheck.InMemoryPayloadStore();
    AcceptWebhook big = withClaimChecks(payloads);
    payloads.down = true;
    assertEquals(503, status(big.accept(signed(note("evt-big", 5000)))));
    assertTrue(queue.sent.isEmpty(), "no claim check without its object");
    payloads.down = false;
    assertEquals(202, status(big.accept(signed(note("evt-big", 5000)))));
    assertEquals(1, queue.sent.size());
  }

  @Test
  void withoutAPayloadStoreANoteKeepsTheInlineLimit() {
    assertEquals(413, status(accept.accept(signed(note("evt-big", 5000)))));
  }
}
