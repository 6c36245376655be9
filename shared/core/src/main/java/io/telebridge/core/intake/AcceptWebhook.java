package io.telebridge.core.intake;

import io.telebridge.core.claimcheck.ClaimCheck;
import io.telebridge.core.claimcheck.ClaimChecks;
import io.telebridge.core.error.TransientException;
import io.telebridge.core.webhook.TenantSecrets;
import io.telebridge.core.webhook.WebhookSignature;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Use case: accept one signed webhook event onto the intake queue, exactly once.
 *
 * <p>Order of checks: content type (415), size (413), signature (401: no tenant's secret signed it),
 * schema (400), tenant (401: the body names another tenant than the one whose secret signed it). Nothing is
 * written for a refused request. An accepted event is claimed in the idempotency store, enqueued
 * (group = tenant and platform patient id, deduplication id = tenant and event id), and only then answered 202. When the
 * queue or the store fails the answer is 503 with Retry-After, and the claim is released so that
 * the sender's retry goes through.
 *
 * <p>Big documents: with a payload store, a {@code visit.note_signed} body may be up to {@link
 * IntakeSettings#maxNoteBodyBytes()}; one above {@link IntakeSettings#maxBodyBytes()} is stored first (S3, key
 * from the tenant and the event id, so a retry writes the same object) and a claim check is queued in its
 * place. Every other type keeps {@code maxBodyBytes} (413, naming the limit).
 *
 * <p>Logs carry event ids, types, statuses and field pointers only.
 */
public final class AcceptWebhook {

  private static final System.Logger LOG = System.getLogger(AcceptWebhook.class.getName());

  private final EventValidator validator;
  private final IdempotencyStore idempotency;
  private final EventQueue queue;
  private final Supplier<TenantSecrets> secrets;
  private final Clock clock;
  private final IntakeSettings settings;
  private final WebhookSignature signature;
  private final ClaimChecks claimChecks;

  public AcceptWebhook(
      EventValidator validator,
      IdempotencyStore idempotency,
      EventQueue queue,
      Supplier<TenantSecrets> secrets,
      Clock clock,
      IntakeSettings settings) {
    this(validator, idempotency, queue, secrets, clock, settings, null);
  }

  /** @param claimChecks where bodies too large for the queue go; null: none (every type keeps maxBodyBytes) */
  public AcceptWebhook(
      EventValidator validator,
      IdempotencyStore idempotency,
      EventQueue queue,
      Supplier<TenantSecrets> secrets,
      Clock clock,
      IntakeSettings settings,
      ClaimChecks claimChecks) {
    this.claimChecks = claimChecks;
    this.validator = validator;
    this.idempotency = idempotency;
    this.queue = queue;
    this.secrets = secrets;
    this.clock = clock;
    this.settings = settings;
    this.signature = new WebhookSignature(clock, settings.signatureTolerance());
  }

  public IntakeResult accept(WebhookRequest request) {
    if (!isJson(request.contentType())) {
      return refuse(Problem.of("unsupported-media-type", "Unsupported Media Type", 415,
          "send the event as application/json (UTF-8)"));
    }
    if (request.body().length > maxBodyBytes()) {
      return refuse(Problem.of("payload-too-large", "Payload Too Large", 413,
          "the body is " + request.body().length + " bytes; the limit is " + maxBodyBytes()
              + (maxBodyBytes() > settings.maxBodyBytes()
                  ? " for " + NOTE_TYPE + " and " + settings.maxBodyBytes() + " for every other type" : "")));
    }
    TenantSecrets active;
    try {
      active = secrets.get();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "webhook secrets unavailable: {0}", e.getClass().getSimpleName());
      return unavailable("the signing secret could not be read");
    }
    TenantSecrets.Verified verified = active.signer(signature, request.timestamp(), request.signature(), request.body());
    if (verified.failure() != null) {
      WebhookSignature.Failure failure = verified.failure();
      String slug = failure == WebhookSignature.Failure.EXPIRED_TIMESTAMP ? "stale-timestamp" : "invalid-signature";
      return refuse(Problem.of(slug, "Unauthorized", 401, failure.detail()));
    }

    ValidatedEvent event;
    try {
      event = validator.validate(request.body());
    } catch (InvalidEventException e) {
      if (request.body().length > settings.maxBodyBytes()) { // too large for any type but a (valid) note
        return refuse(Problem.of("payload-too-large", "Payload Too Large", 413,
            "the body is " + request.body().length + " bytes; the limit is " + settings.maxBodyBytes()
                + " (only a valid " + NOTE_TYPE + " may be up to " + maxBodyBytes() + ", and this body is not one)"));
      }
      return refuse(Problem.of(e.malformedJson() ? "malformed-json" : "invalid-event", "Bad Request", 400,
          e.getMessage()).withErrors(e.fields()));
    }
    if (!verified.tenant().equals(event.tenant())) {
      LOG.log(Level.WARNING, "eventId={0}: signed by tenant {1}, names tenant {2}", event.eventId(),
          verified.tenant(), event.tenant());
      return refuse(Problem.of("tenant-mismatch", "Unauthorized", 401,
          "the event's tenant is not the tenant whose secret signed the request"));
    }

    if (request.body().length > settings.maxBodyBytes() && !NOTE_TYPE.equals(event.type())) {
      return refuse(Problem.of("payload-too-large", "Payload Too Large", 413,
          "the body is " + request.body().length + " bytes; the limit for " + event.type() + " is "
              + settings.maxBodyBytes() + " (only " + NOTE_TYPE + " may be up to " + maxBodyBytes() + ")"));
    }

    Instant now = clock.instant();
    String bodyHash = sha256(request.body());
    IdempotencyStore.Claim claim;
    try {
      claim = idempotency.claim(idempotencyKey(event), bodyHash, now);
    } catch (TransientException e) {
      LOG.log(Level.WARNING, "idempotency store unavailable eventId={0}: {1}", event.eventId(), e.getMessage());
      return unavailable("the idempotency store is unavailable");
    }

    return switch (claim) {
      case IdempotencyStore.Claim.Completed done when done.bodyHash().equals(bodyHash) -> {
        LOG.log(Level.INFO, "replay of accepted event eventId={0} type={1}", event.eventId(), event.type());
        yield new IntakeResult.Accepted(event.eventId(), event.type(), true, event.tenant(), event.patientId());
      }
      case IdempotencyStore.Claim.Completed other -> refuse(Problem.of("event-id-conflict", "Conflict", 409,
          "event id " + event.eventId() + " was already accepted with a different body"));
      case IdempotencyStore.Claim.InProgress busy -> {
        Duration wait = Duration.between(now, busy.leaseUntil());
        yield unavailable("event " + event.eventId() + " is being accepted by a concurrent request",
            wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : roundUpToSeconds(wait));
      }
      case IdempotencyStore.Claim.Claimed mine -> enqueue(event, request.body(), now, mine.token());
    };
  }

  /** The largest body accepted at all: the note limit with a payload store, else maxBodyBytes. */
  private int maxBodyBytes() {
    return claimChecks == null ? settings.maxBodyBytes() : settings.maxNoteBodyBytes();
  }

  /** The event type whose bodies may exceed maxBodyBytes (through the claim check). */
  static final String NOTE_TYPE = "visit.note_signed";

  private IntakeResult enqueue(ValidatedEvent event, byte[] body, Instant now, String token) {
    String messageId;
    try {
      byte[] queued = body;
      if (body.length > settings.maxBodyBytes()) { // only a note gets here, and only with a payload store
        ClaimCheck check = claimChecks.store(ClaimChecks.INTAKE, event.tenant(), event.eventId(), ".json", body);
        queued = check.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        LOG.log(Level.INFO, "stored eventId={0} ({1} bytes) for a claim check key={2}", event.eventId(),
            body.length, check.key());
      }
      messageId = queue.enqueue(QueuedEvent.of(event, queued, now));
    } catch (TransientException e) {
      LOG.log(Level.WARNING, "intake queue or payload store unavailable eventId={0}: {1}", event.eventId(), e.getMessage());
      try {
        idempotency.release(idempotencyKey(event), token);
      } catch (RuntimeException releaseFailed) {
        // the claim lapses at its lease; the sender's retry after Retry-After goes through then
        LOG.log(Level.WARNING, "claim not released eventId={0}; it lapses after {1}s",
            event.eventId(), settings.claimLease().toSeconds());
        return unavailable("the intake queue is unavailable", settings.claimLease());
      }
      return unavailable("the intake queue is unavailable");
    }
    // The event is durable now: the answer is 202 whatever happens to the bookkeeping below.
    try {
      idempotency.complete(idempotencyKey(event), token, messageId, now);
    } catch (RuntimeException first) {
      try {
        idempotency.complete(idempotencyKey(event), token, messageId, now);
      } catch (RuntimeException second) {
        // A resend within SQS's 5-minute deduplication window is still deduplicated by the queue.
        LOG.log(Level.WARNING, "event enqueued but claim not completed eventId={0}", event.eventId());
      }
    }
    LOG.log(Level.INFO, "accepted eventId={0} type={1} tenant={2} messageId={3}",
        event.eventId(), event.type(), event.tenant(), messageId);
    return new IntakeResult.Accepted(event.eventId(), event.type(), false, event.tenant(), event.patientId());
  }

  /** Event ids are unique per platform tenant. */
  static String idempotencyKey(ValidatedEvent event) {
    return event.tenant() + "/" + event.eventId();
  }

  private IntakeResult unavailable(String detail) {
    return unavailable(detail, settings.retryAfter());
  }

  private IntakeResult unavailable(String detail, Duration retryAfter) {
    return refuse(Problem.of("temporarily-unavailable", "Service Unavailable", 503, detail).withRetryAfter(retryAfter));
  }

  private static IntakeResult refuse(Problem problem) {
    String fields = problem.errors().stream().map(InvalidField::pointer).collect(Collectors.joining(","));
    LOG.log(problem.status() >= 500 ? Level.WARNING : Level.INFO,
        "refused status={0} type={1}{2}", problem.status(), problem.type(),
        fields.isEmpty() ? "" : " fields=" + fields);
    return new IntakeResult.Refused(problem);
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    String media = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().toLowerCase(Locale.ROOT);
      if (param.startsWith("charset=")) {
        String charset = param.substring("charset=".length()).replace("\"", "").trim();
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  private static Duration roundUpToSeconds(Duration d) {
    long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
    return Duration.ofSeconds(Math.max(1, s));
  }

  static String sha256(byte[] body) {
    return ClaimCheck.sha256Hex(body);
  }
}
