package io.telebridge.delivery;

import io.telebridge.core.config.ProcessEnvironment;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.journal.Journal;
import io.telebridge.core.journal.JournalSteps;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.telebridge.aws.AwsClients;
import io.telebridge.aws.SecretsManagerSigningSecrets;
import io.telebridge.aws.SqsDeadLetters;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * To-platform FIFO → {@link DeliverToPlatform} → the platform's endpoint.
 *
 * <p>FIFO batch semantics: records in order; after the first record that is not done, every later
 * record of the batch is reported failed too, so nothing overtakes a patient's earlier event.
 * Outcomes map to SQS here and only here:
 *
 * <ul>
 *   <li>delivered (2xx) or dead-lettered (refused: on the DLQ with status and reason) → success, deleted;
 *   <li>retry later (408/429/5xx/no answer) → batch item failure, and the message's visibility set
 *       to the delay (Retry-After or backoff), so the next attempt comes then and not after the
 *       queue's whole visibility timeout; past maxReceiveCount the redrive policy moves it to the DLQ;
 *   <li>the later records, not attempted → batch item failures made visible again at once (their
 *       group's order is kept by the FIFO group lock of the failed one).
 * </ul>
 *
 * A record is not started when less time is left than one request could take; it and the rest
 * are handed back the same way. Logs carry ids and statuses only.
 */
public final class PlatformDeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final System.Logger LOG = System.getLogger(PlatformDeliveryHandler.class.getName());

  private final DeliverToPlatform deliver;
  private final Visibility visibility;
  private final Duration attemptBudget;
  private Journal journal = Journal.NONE;

  /** The queue's ChangeMessageVisibility. */
  interface Visibility {
    void visibleAfter(String receiptHandle, Duration delay);
  }

  public PlatformDeliveryHandler() {
    this(ProcessEnvironment.forLambda());
  }

  public PlatformDeliveryHandler(Map<String, String> environment) {
    this(Wiring.of(DeliveryConfig.fromEnvironment(environment)), JournalSettings.fromEnvironment(environment));
  }

  private PlatformDeliveryHandler(Wiring wiring, JournalSettings journal) {
    this(wiring.deliver(), wiring.visibility(), wiring.attemptBudget());
    this.journal = journal.journal(new AwsClients(wiring.aws()).dynamoDb(), "platform-delivery");
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
  PlatformDeliveryHandler(DeliverToPlatform deliver, Visibility visibility, Duration attemptBudget) {
    this.deliver = deliver;
    this.visibility = visibility;
    this.attemptBudget = attemptBudget;
  }

  /** Everything built once per container: the SQS and Secrets Manager clients, the HTTP client. */
  private record Wiring(DeliverToPlatform deliver, Visibility visibility, Duration attemptBudget,
      io.telebridge.aws.AwsSettings aws) {

    static Wiring of(DeliveryConfig config) {
      AwsClients clients = new AwsClients(config.aws());
      SqsClient sqs = clients.sqs();
      Clock clock = Clock.systemUTC();
      SqsDeadLetters dlq = new SqsDeadLetters(sqs, config.dlqUrl());
      DeadLetters deadLetters = (delivery, attributes) -> dlq.send(
          delivery.groupId() == null ? "unknown" : delivery.groupId(), delivery.messageId(),
          new String(delivery.body(), StandardCharsets.UTF_8), attributes);
      DeliverToPlatform deliver = new DeliverToPlatform(
          new HttpPlatformEndpoint(config.endpoint(), config.connectTimeout(), config.requestTimeout()),
          new SecretsManagerSigningSecrets(clients.secretsManager(), config.signingSecretArn(), clock, config.secretRefresh()),
          deadLetters,
          new RetryDelays(config.maxRetryDelay(), clock, Math::random),
          clock);
      SqsMessageVisibility queue = new SqsMessageVisibility(sqs, config.queueUrl());
      Duration budget = config.connectTimeout().plus(config.requestTimeout()).plusSeconds(2);
      return new Wiring(deliver, queue::visibleAfter, budget, config.aws());
    }
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    boolean failRest = false;
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      if (!failRest && context != null && context.getRemainingTimeInMillis() < attemptBudget.toMillis()) {
        LOG.log(Level.WARNING, "not enough time left for messageId={0}; it and the rest of the batch are handed back",
            message.getMessageId());
        failRest = true;
      }
      if (failRest) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        changeVisibility(message, Duration.ZERO);
        continue;
      }
      PlatformDelivery delivery = delivery(message);
      DeliveryOutcome outcome;
      try {
        outcome = deliver.deliver(delivery);
      } catch (RuntimeException unexpected) {
        // a bug, not a platform answer: the message returns after the queue's visibility timeout
        LOG.log(Level.ERROR, "delivery failed messageId={0} eventId={1}: {2}", message.getMessageId(),
            delivery.eventId(), unexpected.getClass().getSimpleName());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        failRest = true;
        continue;
      }
      journal.record(JournalSteps.delivery(delivery, outcome, java.time.Instant.now())); // after the platform answered
      switch (outcome) {
        case DeliveryOutcome.Delivered d -> LOG.log(Level.INFO, "delivered messageId={0} eventId={1} eventType={2} status={3} attempt={4}",
            message.getMessageId(), delivery.eventId(), delivery.eventType(), d.status(), delivery.receiveCount());
        case DeliveryOutcome.DeadLettered d -> LOG.log(Level.WARNING,
            "dead-lettered messageId={0} eventId={1} eventType={2} status={3}: {4}",
            message.getMessageId(), delivery.eventId(), delivery.eventType(), d.status(), d.reason());
        case DeliveryOutcome.RetryLater r -> {
          LOG.log(Level.WARNING, "retry in {0} s messageId={1} eventId={2} attempt={3}: {4}", r.delay().toSeconds(),
              message.getMessageId(), delivery.eventId(), delivery.receiveCount(), r.reason());
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
          changeVisibility(message, r.delay());
          failRest = true;
        }
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  /** Best effort: when it fails, the message simply returns after the queue's visibility timeout. */
  private void changeVisibility(SQSEvent.SQSMessage message, Duration delay) {
    try {
      visibility.visibleAfter(message.getReceiptHandle(), delay);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not change the visibility of messageId={0}: {1}", message.getMessageId(),
          e.getClass().getSimpleName());
    }
  }

  static PlatformDelivery delivery(SQSEvent.SQSMessage message) {
    Map<String, String> system = message.getAttributes() == null ? Map.of() : message.getAttributes();
    int receiveCount;
    try {
      receiveCount = Integer.parseInt(system.getOrDefault("ApproximateReceiveCount", "1"));
    } catch (NumberFormatException e) {
      receiveCount = 1;
    }
    String body = message.getBody() == null ? "" : message.getBody();
    return new PlatformDelivery(message.getMessageId(), attribute(message, "eventId"), attribute(message, "eventType"),
        attribute(message, "tenant"), system.get("MessageGroupId"), receiveCount, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String attribute(SQSEvent.SQSMessage message, String name) {
    Map<String, SQSEvent.MessageAttribute> attributes = message.getMessageAttributes();
    if (attributes == null || attributes.get(name) == null) {
      return null;
    }
    return attributes.get(name).getStringValue();
  }
}
