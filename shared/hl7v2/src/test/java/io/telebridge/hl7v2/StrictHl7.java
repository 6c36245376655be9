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
 * Test code only: the outbound settings plus "a segment the structure does not expect throws", for
 * checking that what the builders emit parses back exactly. Production code has only the two contexts
 * of {@link Hl7Context}.
 */
final class StrictHl7 {

  private static final HapiContext CONTEXT = create();

  private StrictHl7() {}

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
    return new DefaultHapiContext(config, ValidationContextFactory.defaultValidation(),
        new CanonicalModelClassFactory(Hl7Context.VERSION));
  }
}
