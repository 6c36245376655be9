package io.telebridge.delivery;

import io.telebridge.core.config.ProcessEnvironment;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalSteps;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.telebridge.aws.lambda.LambdaJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.aws.AwsClients;
import io.telebridge.aws.Priming;
import io.telebridge.aws.SecretsManagerSigningSecrets;
import io.telebridge.aws.SqsDeadLetters;
import io.telebridge.aws.SqsFifoBatch;
import io.telebridge.aws.SqsMessageVisibility;
import io.telebridge.core.toplatform.DeadLetters;
import io.telebridge.core.toplatform.DeliverToPlatform;
import io.telebridge.core.toplatform.DeliveryOutcome;
import io.telebridge.core.toplatform.PlatformDelivery;
import io.telebridge.core.toplatform.RetryDelays;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * To-platform FIFO → {@link DeliverToPlatform} → the platform's endpoint, through the one FIFO batch
 * loop ({@link SqsFifoBatch}): in order per patient (message group); after a record that is not done,
 * the rest of that group is handed back (made visible again at once; the group's order is kept by
 * the FIFO group lock of the failed one), other groups go on. Outcomes map to SQS here and only here:
 *
 * <ul>
 *   <li>delivered (2xx) or dead-lettered (refused: on the DLQ with status and reason) → success, deleted;
 *   <li>retry later (408/429/5xx/no answer) → batch item failure, and the message's visibility set
 *       to the delay (Retry-After or backoff), so the next attempt comes then and not after the
 *       queue's whole visibility timeout; past maxReceiveCount the redrive policy moves it to the DLQ.
 * </ul>
 *
 * A record is not started when less time is left than one request could take; it and the rest
 * are handed back the same way. Logs carry ids and statuses only.
 */
public final class PlatformDeliveryHandler implements RequestStreamHandler {

  private static final System.Logger LOG = System.getLogger(PlatformDeliveryHandler.class.getName());

  private final DeliverToPlatform deliver;
  private final SqsFifoBatch batch;
  private Journal journal = Journal.NONE;

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private Priming priming;

  /** Lambda's entry: wiring built once per container, primed before the SnapStart snapshot. */
  public PlatformDeliveryHandler() {
    this(wiring(ProcessEnvironment.forLambda()), true);
  }

  public PlatformDeliveryHandler(Map<String, String> environment) {
    this(wiring(environment), false);
  }

  private static Wiring wiring(Map<String, String> environment) {
    return Wiring.of(DeliveryConfig.fromEnvironment(environment), JournalSettings.fromEnvironment(environment));
  }

  private PlatformDeliveryHandler(Wiring wiring, boolean snapStart) {
    this(wiring.deliver(), wiring.deadLetter(), wiring.visibility(), wiring.attemptBudget());
    this.journal = wiring.journal();
    if (snapStart) {
      this.priming = wiring.priming().register();
    }
  }

  /** A synthetic record (no patient data) for the priming step. */
  static SqsEvent primingEvent() {
    return SqsEvent.of(SqsMessage.of("prime", "{\"id\":\"prime\",\"type\":\"ehr.result.available\",\"tenant\":\"prime\"}",
            Map.of("MessageGroupId", "prime", "ApproximateReceiveCount", "1"))
        .withMessageAttribute("eventId", "prime")
        .withMessageAttribute("eventType", "ehr.result.available")
        .withMessageAttribute("tenant", "prime"));
  }

  /**
   * The priming step: the synthetic record's bytes through the stream entry of a second handler that shares this one's signing
   * secret and endpoint, with the endpoint's request built but not sent (answered 204), and ports that
   * refuse to dead-letter or change a visibility: nothing leaves the function.
   */
  static void prime(DeliverToPlatform unsent, Duration attemptBudget) {
    SqsFifoBatch.DeadLetter noDeadLetter = (message, reason, errorClass) -> {
      throw new IllegalStateException("priming dead-letters nothing");
    };
    SqsFifoBatch.Visibility noVisibility = (message, delay) -> {
      throw new IllegalStateException("priming changes no visibility");
    };
    SqsBatchResponse r;
    try {
      r = LambdaJson.sqsResponse(LambdaJson.invoke(
          new PlatformDeliveryHandler(unsent, noDeadLetter, noVisibility, attemptBudget),
          LambdaJson.bytes(primingEvent()), null));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (!r.batchItemFailures().isEmpty()) {
      throw new IllegalStateException("the priming record was not delivered");
    }
  }

  /** With a journal (tests). */
  PlatformDeliveryHandler withJournal(Journal j) {
    this.journal = j;
    return this;
  }

  /**
   * @param attemptBudget the time one attempt may take (connect + request timeouts and a margin):
   *     a record is not started with less time left in the invocation
   */
  PlatformDeliveryHandler(DeliverToPlatform deliver, SqsFifoBatch.DeadLetter deadLetter,
      SqsFifoBatch.Visibility visibility, Duration attemptBudget) {
    this.deliver = deliver;
    this.batch = new SqsFifoBatch(deadLetter, visibility, attemptBudget);
  }

  /** Everything built once per container: the SQS and Secrets Manager clients, the HTTP client. */
  private record Wiring(DeliverToPlatform deliver, SqsFifoBatch.DeadLetter deadLetter,
      SqsFifoBatch.Visibility visibility, Duration attemptBudget, Journal journal, Priming.Builder priming) {

    static Wiring of(DeliveryConfig config, JournalSettings journal) {
      AwsClients clients = AwsClients.shared(config.aws());
      SqsClient sqs = clients.sqs();
      Clock clock = Clock.systemUTC();
      SqsDeadLetters dlq = new SqsDeadLetters(sqs, config.dlqUrl());
      DeadLetters deadLetters = (delivery, attributes) -> dlq.send(
          delivery.groupId() == null ? "unknown" : delivery.groupId(), delivery.messageId(),
          new String(delivery.body(), StandardCharsets.UTF_8), attributes);
      HttpPlatformEndpoint endpoint = new HttpPlatformEndpoint(config.endpoint(), config.connectTimeout(),
          config.requestTimeout());
      SecretsManagerSigningSecrets secrets = new SecretsManagerSigningSecrets(clients.secretsManager(),
          config.signingSecretArn(), clock, config.secretRefresh());
      // the retry jitter's generator, seeded again after a SnapStart restore (clones must not share a sequence)
      AtomicReference<SplittableRandom> jitter = new AtomicReference<>(new SplittableRandom(new SecureRandom().nextLong()));
      RetryDelays delays = new RetryDelays(config.maxRetryDelay(), clock, () -> jitter.get().nextDouble());
      DeliverToPlatform deliver = new DeliverToPlatform(endpoint, secrets, deadLetters, delays, clock);
      DeliverToPlatform unsent = new DeliverToPlatform(endpoint.unsent(), secrets, (delivery, attributes) -> {
        throw new IllegalStateException("priming dead-letters nothing");
      }, delays, clock);
      SqsMessageVisibility queue = new SqsMessageVisibility(sqs, config.queueUrl());
      Duration budget = config.connectTimeout().plus(config.requestTimeout()).plusSeconds(2);
      // what DeliverToPlatform refuses it dead-letters itself (with the status); this port takes what the
      // batch loop sees refused before a delivery (none today), with the same routing attributes
      SqsFifoBatch.DeadLetter refused = SqsFifoBatch.deadLetterTo(dlq, "platform-delivery",
          List.of("eventId", "eventType", "tenant"));
      Priming.Builder priming = Priming.of("platform-delivery")
          .step("unsent delivery", () -> prime(unsent, budget))
          .step("to-platform queue", Priming.queueRead(sqs, config.queueUrl()))
          .afterRestore(() -> jitter.set(new SplittableRandom(new SecureRandom().nextLong())));
      return new Wiring(deliver, refused, queue::visibleAfter, budget,
          journal.journal(clients.dynamoDb(), "platform-delivery"), priming);
    }
  }

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and the answer's bytes back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.sqs(input, output, context, this::handle);
  }

  public SqsBatchResponse handle(SqsEvent event, Context context) {
    return batch.process(event, context, message -> {
      PlatformDelivery delivery = delivery(message);
      DeliveryOutcome outcome = deliver.deliver(delivery);
      journal.record(JournalSteps.delivery(delivery, outcome, java.time.Instant.now())); // after the platform answered
      return switch (outcome) {
        case DeliveryOutcome.Delivered d -> {
          LOG.log(Level.INFO, "delivered messageId={0} eventId={1} eventType={2} status={3} attempt={4}",
              message.messageId(), delivery.eventId(), delivery.eventType(), d.status(), delivery.receiveCount());
          yield SqsFifoBatch.Outcome.done();
        }
        case DeliveryOutcome.DeadLettered d -> {
          LOG.log(Level.WARNING, "dead-lettered messageId={0} eventId={1} eventType={2} status={3}: {4}",
              message.messageId(), delivery.eventId(), delivery.eventType(), d.status(), d.reason());
          yield SqsFifoBatch.Outcome.done();
        }
        case DeliveryOutcome.RetryLater r -> {
          LOG.log(Level.WARNING, "retry in {0} s messageId={1} eventId={2} attempt={3}: {4}", r.delay().toSeconds(),
              message.messageId(), delivery.eventId(), delivery.receiveCount(), r.reason());
          yield SqsFifoBatch.Outcome.retryAfter(r.delay());
        }
      };
    });
  }

  static PlatformDelivery delivery(SqsMessage message) {
    Map<String, String> system = message.attributes() == null ? Map.of() : message.attributes();
    int receiveCount;
    try {
      receiveCount = Integer.parseInt(system.getOrDefault("ApproximateReceiveCount", "1"));
    } catch (NumberFormatException e) {
      receiveCount = 1;
    }
    String body = message.body() == null ? "" : message.body();
    return new PlatformDelivery(message.messageId(), SqsFifoBatch.attribute(message, "eventId"),
        SqsFifoBatch.attribute(message, "eventType"), SqsFifoBatch.attribute(message, "tenant"),
        SqsFifoBatch.group(message), receiveCount, body.getBytes(StandardCharsets.UTF_8));
  }
}
