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
 * Test code only: a HAPI context that checks what the builders emit the way a strict receiver would:
 * HAPI's default validation on parse (primitive formats), unknown versions refused, and a segment
 * the structure does not expect at its place throws instead of being kept.
 */
final class ValidatingContext {

  private static final HapiContext CONTEXT = create();

  private ValidatingContext() {}

  static PipeParser parser() {
    return CONTEXT.getPipeParser();
  }

  private static HapiContext create() {
    ParserConfiguration config = new ParserConfiguration();
    config.setIdGenerator(new InMemoryIDGenerator());
    config.setEscaping(new StrictEscaping());
    config.setValidating(true);
    config.setAllowUnknownVersions(false);
    config.setUnexpectedSegmentBehaviour(UnexpectedSegmentBehaviourEnum.THROW_HL7_EXCEPTION);
    return new DefaultHapiContext(
        config, ValidationContextFactory.defaultValidation(), new CanonicalModelClassFactory(Hl7Context.VERSION));
  }
}
