package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Hl7ContextTest {

  private static final String V23_A04 = String.join("\r",
      "MSH|^~\\&|EHR|HOSP|TB|TH|20251120143000-0500||ADT^A04|MSG00001|P|2.3",
      "EVN|A04|20251120143000-0500",
      "PID|1||100234^^^EPI^MR||O'Brien\\F\\Smith\\S\\Jr^Mary||19790228|F",
      "PV1|1|O",
      "");

  @Test
  void isOneContextPerConfigurationPerProcess() {
    assertSame(Hl7Context.outbound(), Hl7Context.outbound());
    assertSame(Hl7Context.inbound(), Hl7Context.inbound());
    assertSame(Hl7Context.outboundParser(), Hl7Context.outboundParser());
    assertSame(Hl7Context.inboundParser(), Hl7Context.inboundParser());
  }

  @Test
  void readsOlderVersionsIntoTheV251Model() throws HL7Exception {
    assertInstanceOf(CanonicalModelClassFactory.class, Hl7Context.outbound().getModelClassFactory());
    assertInstanceOf(CanonicalModelClassFactory.class, Hl7Context.inbound().getModelClassFactory());
    Message message = Hl7Context.inboundParser().parse(V23_A04);
    assertInstanceOf(ADT_A01.class, message);
    assertEquals("O'Brien|Smith^Jr", new Terser(message).get("/PID-5-1"));
  }

  @Test
  void neverUsesTheFileBasedIdGenerator() throws Exception {
    assertInstanceOf(InMemoryIDGenerator.class, Hl7Context.outbound().getParserConfiguration().getIdGenerator());
    assertInstanceOf(InMemoryIDGenerator.class, Hl7Context.inbound().getParserConfiguration().getIdGenerator());
    Message message = Hl7Context.outboundParser().parse(V23_A04);
    Message ack = message.generateACK();
    assertInstanceOf(ACK.class, ack);
    assertFalse(Files.exists(Path.of("id_file")), "HAPI wrote an id_file into the working directory");
  }

  @Test
  void theOutboundContextValidatesPrimitiveFormatsAndTheInboundOneReadsWhatEhrsSend() throws HL7Exception {
    String badDate = V23_A04.replace("19790228", "28/02/1979");
    assertThrows(HL7Exception.class, () -> Hl7Context.outboundParser().parse(badDate));
    Message read = Hl7Context.inboundParser().parse(badDate);
    assertEquals("28/02/1979", new Terser(read).get("/PID-7-1"));
  }

  @Test
  void theInboundContextKeepsZSegmentsWhereTheTestOnlyStrictOneRefusesThem() throws HL7Exception {
    String unexpected = V23_A04.replace("PV1|1|O", "PV1|1|O\rZZZ|custom");
    Message read = Hl7Context.inboundParser().parse(unexpected); // real feeds' Z segments are kept
    assertEquals("custom", new Terser(read).get("/.ZZZ-1"));
    assertThrows(HL7Exception.class, () -> StrictHl7.parser().parse(unexpected));
  }

  @Test
  void escapesStrictly() {
    assertInstanceOf(StrictEscaping.class, Hl7Context.outbound().getParserConfiguration().getEscaping());
    assertInstanceOf(StrictEscaping.class, Hl7Context.inbound().getParserConfiguration().getEscaping());
  }
}
