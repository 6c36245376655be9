package io.telebridge.mllp.sim;

import io.telebridge.hl7v2.Hl7Text;
import io.telebridge.hl7v2.UnreadableMessageException;
import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.hl7.AckCode;
import io.telebridge.mllp.hl7.RawAckBuilder;
import io.telebridge.mllp.hl7.RawHl7;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's handling of one frame: decode it with the project's one HL7 text layer, record it,
 * pick the rule, and answer through the one ACK builder ({@link RawAckBuilder}) — or drop the
 * connection, or stay silent, as the rule says.
 */
final class SimAnswers {

  private final SimRules rules;
  private final SimRecorder recorder;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong ackIds = new AtomicLong();

  SimAnswers(SimRules rules, SimRecorder recorder, Clock clock) {
    this.rules = rules;
    this.recorder = recorder;
    this.clock = clock;
  }

  /** Records and answers one frame; false: the connection is to be closed. */
  boolean answer(byte[] frame, int connection, OutputStream out) throws IOException {
    Charset charset;
    String text;
    boolean undecodable = false;
    try { // the project's one HL7 text layer: MSH-18's charset (else UTF-8), strictly
      charset = Hl7Text.charsetOf(frame, StandardCharsets.UTF_8);
      text = Hl7Text.decode(frame, StandardCharsets.UTF_8);
    } catch (UnreadableMessageException e) { // recorded byte for byte (as Latin-1 text) and answered AR
      charset = StandardCharsets.US_ASCII;
      text = Hl7Text.crSegmentEnds(new String(frame, StandardCharsets.ISO_8859_1));
      undecodable = true;
    }
    RawHl7 raw = RawHl7.looksLikeHl7(text) ? RawHl7.of(text) : null;
    String controlId = raw == null ? "" : raw.controlId();
    String type = raw == null ? "?" : raw.messageType();
    List<String> patients = raw == null ? List.of() : raw.patientIds();
    SimRule rule = rules.pick(controlId, patients);
    Answer answer = raw == null || undecodable ? Answer.AR : rule == null ? Answer.AA : rule.answer();
    recorder.record(new ReceivedMessage(sequence.incrementAndGet(), connection, controlId, type, patients,
        clock.instant(), text, answer));
    if (rule != null && !rule.delay().isZero()) {
      try {
        Thread.sleep(rule.delay());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    switch (answer) {
      case DROP -> {
        return false;
      }
      case SILENT -> {
        return true;
      }
      default -> {
        if (raw == null) {
          return false; // nothing to answer to
        }
        AckCode code = answer == Answer.WRONG_CONTROL_ID ? AckCode.AA : AckCode.valueOf(answer.name());
        String msa2 = answer == Answer.WRONG_CONTROL_ID ? "NOT-" + controlId : controlId;
        String ack = RawAckBuilder.build(text, code, msa2, error(rule), "SIMACK" + ackIds.incrementAndGet(),
            ZonedDateTime.now(clock));
        out.write(MllpFrames.frame(ack.getBytes(charset)));
        out.flush();
        return true;
      }
    }
  }

  /**
   * The ERR of an error answer: the rule's code and location, and as its free text a recognisable
   * marker (an EHR may fill that text with data from the message): the bridge must never copy it
   * anywhere, and tests check that.
   */
  private static RawAckBuilder.Error error(SimRule rule) {
    if (rule == null || !rule.answer().isError()) {
      return null;
    }
    return RawAckBuilder.Error.atLocation(rule.errorCode(), rule.errorLocation(),
        "SIMULATED USER MESSAGE - NOT FOR LOGS");
  }
}
