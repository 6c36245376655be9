package io.telebridge.mllp.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawAckBuilderTest {

  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 25, 17, 30, 0, 0, ZoneOffset.UTC);

  private static List<String> segments(String ack) {
    assertTrue(ack.endsWith("\r"), "segments end with CR");
    return List.of(ack.split("\r"));
  }

  @Test
  void swapsSenderAndReceiverEchoesControlIdVersionAndProcessingId() {
    String msg = "MSH|^~\\&|LAB|GENHOSP|TELEBRIDGE|TB|20261125120000||ORU^R01^ORU_R01|CTRL-0001|T|2.3\rPID|1||M1\r";
    List<String> s = segments(RawAckBuilder.build(msg, AckCode.AA, null, "ACK1", NOW));
    assertEquals("MSH|^~\\&|TELEBRIDGE|TB|LAB|GENHOSP|20261125173000+0000||ACK^R01^ACK|ACK1|T|2.3", s.get(0));
    assertEquals("MSA|AA|CTRL-0001", s.get(1));
    assertEquals(2, s.size());
  }

  @Test
  void usesTheMessagesOwnSeparatorsAndEchoesMsh18() {
    String msg = "MSH#$~\\&#LAB#GEN#RCV#RF#20261125##ADT$A08#C9#P#2.5.1######8859/1\nPID#1\n";
    List<String> s = segments(RawAckBuilder.build(msg, AckCode.AA, null, "A2", NOW));
    assertEquals("MSH#$~\\&#RCV#RF#LAB#GEN#20261125173000+0000##ACK$A08$ACK#A2#P#2.5.1######8859/1", s.get(0));
    assertEquals("MSA#AA#C9", s.get(1));
  }

  @Test
  void writesErr2Err3Err4AndErr7ForVersion25AndLater() {
    String msg = "MSH|^~\\&|LAB|GEN|RCV|RF|20261125||ORU^R01|C3|P|2.5.1\r";
    String ack = RawAckBuilder.build(msg, AckCode.AR, RawAckBuilder.Error.at("101", "MSH", 10, "MSH-10 is empty | odd"),
        "A3", NOW);
    List<String> s = segments(ack);
    assertEquals("MSA|AR|C3", s.get(1));
    assertEquals("ERR||MSH^1^10|101^Required field missing^HL70357|E||||MSH-10 is empty \\F\\ odd", s.get(2));
  }

  @Test
  void theSimulatorsAnswerCarriesTheGivenMsa2AndTheRulesLocation() throws AckFormatException {
    String msg = "MSH|^~\\&|TB|TB|EHR|EHR|20261125||SIU^S12|C9|P|2.5.1\r";
    RawAckBuilder.Error error = RawAckBuilder.Error.atLocation("103", "SCH^1^8", "for a | user");
    List<String> s = segments(RawAckBuilder.build(msg, AckCode.AE, "NOT-C9", error, "SIM1", NOW));
    assertEquals("MSA|AE|NOT-C9", s.get(1));
    assertEquals("ERR||SCH^1^8|103^Table value not found^HL70357|E||||for a \\F\\ user", s.get(2));
    assertEquals("SCH^1^8", new AckReader().read(String.join("\r", s) + "\r").errorLocation());
  }

  @Test
  void writesTheEldInErr1ForVersionsBefore25() {
    String msg = "MSH|^~\\&|LAB|GEN|RCV|RF|20261125||ORU^R01|C4|P|2.4\r";
    List<String> s = segments(RawAckBuilder.build(msg, AckCode.AR, RawAckBuilder.Error.at("101", "MSH", 9, "x"), "A4", NOW));
    assertEquals("ERR|MSH^1^9^101&Required field missing&HL70357", s.get(2));
  }

  @Test
  void answersTextWithoutMshWithDefaultSeparatorsAndAnEmptyMsa2() {
    List<String> s = segments(RawAckBuilder.build("hello there", AckCode.AR,
        RawAckBuilder.Error.at("100", "MSH", 0, "the first segment is not an MSH segment"), "A5", NOW));
    assertEquals("MSH|^~\\&|||||20261125173000+0000||ACK^ACK|A5|P|2.5.1", s.get(0));
    assertEquals("MSA|AR|", s.get(1));
    assertTrue(s.get(2).startsWith("ERR||MSH^1|100^Segment sequence error^HL70357|E"));
  }

  @Test
  void keepsAnEmptyMsh10EmptyInMsa2AndDefaultsAMissingVersion() {
    String msg = "MSH|^~\\&|LAB|GEN|RCV|RF|20261125||ORU^R01||P\rPID|1\r";
    List<String> s = segments(RawAckBuilder.build(msg, AckCode.AR, RawAckBuilder.Error.of("101", "d"), "A6", NOW));
    assertTrue(s.get(0).endsWith("|A6|P|2.5.1"));
    assertEquals("MSA|AR|", s.get(1));
    assertEquals("ERR|||101^Required field missing^HL70357|E||||d", s.get(2));
  }

  @Test
  void ignoresLeadingLineEndsAndReadsTheTruncatedMshOfAnOversizeHead() {
    String msg = "\r\nMSH|^~\\&|LAB|GEN|RCV|RF|2026||ORU^R01|C7|P|2.5.1|||||";
    List<String> s = segments(RawAckBuilder.build(msg, AckCode.AR, RawAckBuilder.Error.of("207", "big"), "A7", NOW));
    assertEquals("MSA|AR|C7", s.get(1));
  }

  @Test
  void theAckIsReadBackByTheBridgesAckReaderWithItsCodes() throws AckFormatException {
    String msg = "MSH|^~\\&|LAB|GEN|RCV|RF|20261125||ORU^R01|C8|P|2.5.1\r";
    Ack ack = new AckReader().read(RawAckBuilder.build(msg, AckCode.AR, RawAckBuilder.Error.at("102", "OBX", 5, "bad"),
        "A8", NOW));
    assertEquals(AckCode.AR, ack.code());
    assertEquals("C8", ack.controlId());
    assertEquals("102", ack.errorCode());
    assertEquals("E", ack.severity());
    assertFalse(ack.accepted());
  }
}
