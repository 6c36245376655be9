package io.telebridge.hl7v2;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * The process's two HAPI configurations (a context is expensive: each is built once, on first use,
 * and shared): one for what telebridge writes, one for what it reads. There is no other
 * {@code HapiContext} in the production code.
 *
 * <p>Both share:
 * <ul>
 *   <li>model: {@code CanonicalModelClassFactory("2.5.1")}, so 2.3 to 2.5.1 messages read into one
 *       model (the v2.5.1 structures);
 *   <li>escaping: {@link StrictEscaping} (every delimiter, always; line breaks as {@code \.br\});
 *   <li>id generator: {@link InMemoryIDGenerator}, never HAPI's default file-based generator (it writes
 *       an {@code id_file} into the working directory, which a Lambda cannot, and jumps by blocks
 *       after a restart). The builders set MSH-10 themselves ({@link ControlIds}).
 * </ul>
 *
 * <p>{@link #outbound()} — the builders': HAPI's {@code DefaultValidation} (primitive formats: DTM, NM,
 * SI, TN, ...) on every set and encode, unknown versions refused. What we send is checked.
 *
 * <p>{@link #inbound()} — for everything read from an EHR (the listener's door check and the from-EHR
 * translator, through {@link FromEhrReader}; the bridge's ACK reader): validation off (a sender's odd
 * primitive, an SN {@code >^500} in a v2.4 NM-typed slot, must not lose a result), unknown versions
 * allowed, Z-segments and other unexpected segments kept where they stand.
 */
public final class Hl7Context {

  /** HL7 version of every message built and the model every message is read into. */
  public static final String VERSION = "2.5.1";

  private Hl7Context() {}

  private static final class OutboundHolder {
    static final HapiContext CONTEXT = newOutboundContext();
  }

  private static final class InboundHolder {
    static final HapiContext CONTEXT = newInboundContext();
  }

  /** The builders' context (validating). */
  public static HapiContext outbound() {
    return OutboundHolder.CONTEXT;
  }

  /** The builders' pipe (ER7) parser: encodes what telebridge sends. Thread-safe for parse and encode. */
  public static PipeParser outboundParser() {
    return OutboundHolder.CONTEXT.getPipeParser();
  }

  /** The context for reading what EHRs send (lenient; see the class comment). */
  public static HapiContext inbound() {
    return InboundHolder.CONTEXT;
  }

  /** The inbound pipe parser. Thread-safe for parse. */
  public static PipeParser inboundParser() {
    return InboundHolder.CONTEXT.getPipeParser();
  }

  private static ParserConfiguration common() {
    ParserConfiguration config = new ParserConfiguration();
    config.setIdGenerator(new InMemoryIDGenerator());
    config.setEscaping(new StrictEscaping());
    return config;
  }

  static HapiContext newInboundContext() {
    ParserConfiguration config = common();
    config.setValidating(false);
    config.setAllowUnknownVersions(true);
    return new DefaultHapiContext(
        config, ValidationContextFactory.noValidation(), new CanonicalModelClassFactory(VERSION));
  }

  static HapiContext newOutboundContext() {
    ParserConfiguration config = common();
    config.setValidating(true);
    config.setAllowUnknownVersions(false);
    return new DefaultHapiContext(
        config, ValidationContextFactory.defaultValidation(), new CanonicalModelClassFactory(VERSION));
  }
}
