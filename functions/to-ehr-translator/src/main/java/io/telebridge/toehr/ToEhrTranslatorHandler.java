package io.telebridge.toehr;

import io.telebridge.core.config.ProcessEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.telebridge.aws.lambda.LambdaJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.telebridge.aws.lambda.SqsBatchResponse;
import io.telebridge.aws.lambda.SqsEvent;
import io.telebridge.aws.lambda.SqsMessage;
import io.telebridge.aws.JournalSettings;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.toehr.TranslateToEhr;
import io.telebridge.json.PlatformEventReader;
import io.telebridge.aws.SqsFifoBatch;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Intake FIFO → {@link TranslateToEhr} → to-EHR FIFO, through the one FIFO batch loop
 * ({@link SqsFifoBatch}): in order per patient (message group); after a failure the rest of that
 * patient's records are handed back, other patients go on; an event that can never translate (bad
 * input) is moved to the intake DLQ at once with the reason, so it blocks nobody.
 */
public final class ToEhrTranslatorHandler implements RequestStreamHandler {

  /** The time one record may take (a resolve, a few DynamoDB writes, one SendMessage, with SDK retries). */
  static final Duration ATTEMPT_BUDGET = Duration.ofSeconds(5);

  private final PlatformEventReader reader;
  private final TranslateToEhr translate;
  private final SqsFifoBatch batch;
  private final TranslatorSteps steps;
  private final UnaryOperator<String> redeem;

  /** SnapStart priming (Lambda's entry only), held for the CRaC context. */
  private io.telebridge.aws.Priming priming;

  /** Lambda's entry: wiring built once per container, primed before the SnapStart snapshot. */
  public ToEhrTranslatorHandler() {
    this(wiring(ProcessEnvironment.forLambda()), true);
  }

  public ToEhrTranslatorHandler(Map<String, String> environment) {
    this(wiring(environment), false);
  }

  private static TranslatorWiring wiring(Map<String, String> environment) {
    return TranslatorWiring.of(TranslatorConfig.fromEnvironment(environment), JournalSettings.fromEnvironment(environment),
        io.telebridge.aws.FlowSwitchSettings.fromEnvironment(environment));
  }

  private ToEhrTranslatorHandler(TranslatorWiring wiring, boolean snapStart) {
    this(wiring.translate(), wiring.deadLetter(), wiring.steps(), wiring.redeem());
    if (snapStart) {
      this.priming = wiring.priming().step("batch loop", this::prime).register();
    }
  }

  /**
   * The priming step through Lambda's stream entry and the handler's own batch loop: an empty batch (the
   * codec, the loop, the batch response) and a synthetic record read by the codec; nothing read from a
   * queue, nothing sent.
   */
  void prime() throws IOException {
    LambdaJson.primeSqs(this);
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter) {
    this(translate, deadLetter, TranslatorSteps.NONE, UnaryOperator.identity());
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter, TranslatorSteps steps) {
    this(translate, deadLetter, steps, UnaryOperator.identity());
  }

  ToEhrTranslatorHandler(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter, UnaryOperator<String> redeem) {
    this(translate, deadLetter, TranslatorSteps.NONE, redeem);
  }

  /**
   * @param redeem a queue body as the event it stands for: itself, or a claim check's verified payload
   *     (a {@link io.telebridge.core.claimcheck.ClaimCheckException} when it cannot be redeemed: to the DLQ)
   */
  ToEhrTranslatorHandler(TranslateToEhr translate, SqsFifoBatch.DeadLetter deadLetter, TranslatorSteps steps,
      UnaryOperator<String> redeem) {
    this.reader = new PlatformEventReader();
    this.translate = translate;
    this.steps = steps;
    this.redeem = redeem;
    this.batch = new SqsFifoBatch(deadLetter, null, ATTEMPT_BUDGET, steps::failed);
  }

  /** Lambda's entry: the event's bytes through {@link LambdaJson} to {@link #handle} and the answer's bytes back. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaJson.sqs(input, output, context, this::handle);
  }

  public SqsBatchResponse handle(SqsEvent event, Context context) {
    return batch.process(event, context, message -> {
      // a claim check stays the raw event (what a review case parks): small, and redeemed again on replay
      PlatformEvent platformEvent = reader.read(redeem.apply(message.body()));
      steps.translated(message, platformEvent, translate.handle(platformEvent, message.body(), null));
      return SqsFifoBatch.Outcome.done();
    });
  }
}
