package io.telebridge.toehr;

import io.telebridge.core.config.ProcessEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.TranslateToEhr;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.aws.SqsFifoBatch;
import java.time.Duration;
import java.util.Map;

/**
 * Intake FIFO → {@link TranslateToEhr} → to-EHR FIFO, through the one FIFO batch loop
 * ({@link SqsFifoBatch}): in order per patient (message group); after a failure the rest of that
 * patient's records are handed back, other patients go on; an event that can never translate (bad
 * input) is moved to the intake DLQ at once with the reason, so it blocks nobody.
 */
public final class ToEhrTranslatorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  /** The time one record may take (a resolve, a few DynamoDB writes, one SendMessage, with SDK retries). */
  static final Duration ATTEMPT_BUDGET = Duration.ofSeconds(5);

  private final PlatformEventReader reader;
  private final TranslateToEhr translate;
  private final SqsFifoBatch batch;
  private final TranslatorSteps steps;

  public ToEhrTranslatorHandler() {
    this(ProcessEnvironment.forLambda());
  }

  public ToEhrTranslatorHandler(Map<String, String> environment) {
    this(TranslatorWiring.of(TranslatorConfig.fromEnvironment(environment), JournalSettings.fromEnvironment(environment)));
  }

  private ToEhrTranslatorHandler(TranslatorWiring wiring) {
    this(wiring.translate(), wiring.deadLetter(), wiring.steps());
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter) {
    this(translate, deadLetter, TranslatorSteps.NONE);
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter, TranslatorSteps steps) {
    this.reader = new PlatformEventReader();
    this.translate = translate;
    this.steps = steps;
    this.batch = new SqsFifoBatch(deadLetter, null, ATTEMPT_BUDGET, steps::failed);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return batch.process(event, context, message -> {
      PlatformEvent platformEvent = reader.read(message.getBody());
      steps.translated(message, platformEvent, translate.translate(platformEvent, message.getBody()));
      return SqsFifoBatch.Outcome.done();
    });
  }
}
