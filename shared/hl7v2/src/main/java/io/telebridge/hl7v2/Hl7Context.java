package io.telebridge.hl7v2;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.parser.UnexpectedSegmentBehaviourEnum;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * The one HAPI context of the process (a context is expensive: build it once, share it).
 *
 * <ul>
 *   <li>model: {@code CanonicalModelClassFactory("2.5.1")}, so 2.3 to 2.5.1 messages read into one
 *       model (the v2.5.1 structures);
 *   <li>validation: HAPI's {@code DefaultValidation} (primitive formats: DTM, NM, SI, TN, ...) on
 *       every set, encode and parse;
 *   <li>escaping: {@link StrictEscaping} (every delimiter, always; line breaks as {@code \.br\});
 *   <li>id generator: {@link InMemoryIDGenerator}, never HAPI's default file-based generator (it writes
 *       an {@code id_file} into the working directory, which a Lambda cannot, and jumps by blocks
 *       after a restart). The builders set MSH-10 themselves ({@link ControlIds}); the generator only
 *       serves HAPI's own {@code generateACK()}.
 * </ul>
 *
 * <p>{@link #strict()} is a second context for tests and for checking what we emit: the same
 * settings, and a segment the structure does not expect throws instead of being kept.
 */
public final class Hl7Context {

  /** HL7 version of every message built and the model every message is read into. */
  public static final String VERSION = "2.5.1";

  private Hl7Context() {}

  private static final class Holder {
    static final HapiContext CONTEXT = newContext(false);
  }

  private static final class StrictHolder {
    static final HapiContext CONTEXT = newContext(true);
  }

  /** The process-wide context (created on first use). */
  public static HapiContext get() {
    return Holder.CONTEXT;
  }

  /** The process-wide pipe (ER7) parser. Thread-safe for parse and encode. */
  public static PipeParser parser() {
    return Holder.CONTEXT.getPipeParser();
  }

  private static final class InboundHolder {
    static final HapiContext CONTEXT = newInboundContext();
  }

  /**
   * The context for reading what EHRs send (the from-EHR translator's one context): the same model
   * (2.3 to 2.5.1 read into the v2.5.1 structures) and escaping, but lenient: no validation on parse
   * (a sender's odd primitive must not lose a result), unknown versions allowed, Z-segments and other
   * unexpected segments kept where they stand.
   */
  public static HapiContext inbound() {
    return InboundHolder.CONTEXT;
  }

  static HapiContext newInboundContext() {
    ParserConfiguration config = new ParserConfiguration();
    config.setIdGenerator(new InMemoryIDGenerator());
    config.setEscaping(new StrictEscaping());
    config.setValidating(false);
    config.setAllowUnknownVersions(true);
    return new DefaultHapiContext(
        config, ValidationContextFactory.noValidation(), new CanonicalModelClassFactory(VERSION));
  }

  /** A context that also refuses unexpected segments; for checking emitted messages. */
  public static HapiContext strict() {
    return StrictHolder.CONTEXT;
  }

  /** Builds a configured context; prefer {@link #get()}. */
  static HapiContext newContext(boolean refuseUnexpectedSegments) {
    ParserConfiguration config = new ParserConfiguration();
    config.setIdGenerator(new InMemoryIDGenerator());
    config.setEscaping(new StrictEscaping());
    config.setValidating(true);
    config.setAllowUnknownVersions(false);
    if (refuseUnexpectedSegments) {
      config.setUnexpectedSegmentBehaviour(UnexpectedSegmentBehaviourEnum.THROW_HL7_EXCEPTION);
    }
    return new DefaultHapiContext(
        config, ValidationContextFactory.defaultValidation(), new CanonicalModelClassFactory(VERSION));
  }
}
