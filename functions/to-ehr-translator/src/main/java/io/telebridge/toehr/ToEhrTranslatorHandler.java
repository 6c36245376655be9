package io.telebridge.toehr;

import io.telebridge.core.config.ProcessEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
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

  public ToEhrTranslatorHandler() {
    this(ProcessEnvironment.forLambda());
  }

  public ToEhrTranslatorHandler(Map<String, String> environment) {
    this(TranslatorConfig.fromEnvironment(environment));
  }

  private ToEhrTranslatorHandler(TranslatorConfig config) {
    this(TranslatorWiring.of(config));
  }

  private ToEhrTranslatorHandler(TranslatorWiring wiring) {
    this(wiring.translate(), wiring.deadLetter());
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter) {
    this.reader = new PlatformEventReader();
    this.translate = translate;
    this.batch = new SqsFifoBatch(deadLetter, null, ATTEMPT_BUDGET);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return batch.process(event, context, message -> {
      PlatformEvent platformEvent = reader.read(message.getBody());
      translate.translate(platformEvent, message.getBody());
      return SqsFifoBatch.Outcome.done();
    });
  }
}
