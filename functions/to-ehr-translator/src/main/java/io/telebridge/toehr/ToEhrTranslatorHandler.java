package io.telebridge.toehr;

import io.telebridge.core.config.ProcessEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.error.RejectedException;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.TranslateToEhr;
import io.telebridge.json.PlatformEventReader;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Intake FIFO → {@link TranslateToEhr} → to-EHR FIFO. Batch semantics for FIFO: records are
 * handled in order; after the first failure every later record of the batch is reported failed
 * too, so nothing overtakes a failed message of its patient. An event that can never translate
 * (bad input) is moved to the intake DLQ at once with the reason, so it blocks nobody.
 */
public final class ToEhrTranslatorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final System.Logger LOG = System.getLogger(ToEhrTranslatorHandler.class.getName());

  private final PlatformEventReader reader;
  private final TranslateToEhr translate;
  private final DeadLetter deadLetter;
  private final TranslatorSteps steps;

  /** Where events that can never translate go. */
  interface DeadLetter {
    void send(SQSEvent.SQSMessage message, String reason, String errorClass);
  }

  public ToEhrTranslatorHandler() {
    this(ProcessEnvironment.forLambda());
  }

  public ToEhrTranslatorHandler(Map<String, String> environment) {
    this(TranslatorWiring.of(TranslatorConfig.fromEnvironment(environment), JournalSettings.fromEnvironment(environment)));
  }

  private ToEhrTranslatorHandler(TranslatorWiring wiring) {
    this(wiring.translate(), wiring.deadLetter(), wiring.steps());
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, DeadLetter deadLetter) {
    this(translate, deadLetter, TranslatorSteps.NONE);
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, DeadLetter deadLetter, TranslatorSteps steps) {
    this.reader = new PlatformEventReader();
    this.translate = translate;
    this.deadLetter = deadLetter;
    this.steps = steps;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    boolean failRest = false;
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      if (failRest) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        continue;
      }
      try {
        PlatformEvent platformEvent = reader.read(message.getBody());
        steps.translated(message, platformEvent, translate.translate(platformEvent, message.getBody()));
      } catch (RejectedException bad) {
        try {
          deadLetter.send(message, bad.getMessage(), bad.getClass().getSimpleName());
          LOG.log(Level.WARNING, "dead-lettered messageId={0}: {1}", message.getMessageId(), bad.getMessage());
          steps.failed(message, bad, true);
        } catch (RuntimeException dlqDown) {
          LOG.log(Level.ERROR, "could not dead-letter messageId={0}: {1}", message.getMessageId(),
              dlqDown.getClass().getSimpleName());
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
          failRest = true;
        }
      } catch (RuntimeException failed) {
        // transient (queue, table) or unexpected: retried by SQS, to the DLQ after maxReceiveCount
        LOG.log(Level.WARNING, "translation failed messageId={0}: {1}", message.getMessageId(),
            failed.getClass().getSimpleName());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        failRest = true;
        steps.failed(message, failed, false);
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }
}
