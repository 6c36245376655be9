package io.telebridge.mllp.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AckReaderTest {

  private static AckReader reader;

  @BeforeAll
  static void oneContextPerProcess() {
    reader = new AckReader();
    reader.warmUp();
  }

  @Test
  void readsAnApplicationAccept() throws Exception {
    Ack ack = reader.read("MSH|^~\\&|EHR|CLINIC|TELEBRIDGE|TELEHEALTH|20260115||ACK^S12^ACK|A1|P|2.5.1\rMSA|AA|CTL-1\r");
    assertEquals(AckCode.AA, ack.code());
    assertEquals("CTL-1", ack.controlId());
    assertTrue(ack.accepted());
    assertEquals("", ack.errorCode());
  }

  @Test
  void readsAnApplicationErrorAsDataWithItsCodesButNotItsText() throws Exception {
    Ack ack = reader.read("MSH|^~\\&|EHR|C|TB|T|20260115||ACK^S12^ACK|A2|P|2.5.1\r"
        + "MSA|AE|CTL-2|free text that might echo O'Brien\r"
        + "ERR||PID^1^5^1|101^Required field missing^HL70357|E||||Patient O'Brien has no birth date\r");
    assertEquals(AckCode.AE, ack.code());
    assertFalse(ack.accepted());
    assertEquals("CTL-2", ack.controlId());
    assertEquals("101", ack.errorCode());
    assertEquals("PID^1^5^1", ack.errorLocation());
    assertEquals("E", ack.severity());
    assertFalse(ack.toString().contains("Brien"));
  }

  @Test
  void keepsRejectAndCommitCodesDistinct() throws Exception {
    for (String code : new String[] {"AR", "CA", "CE", "CR"}) {
      Ack ack = reader.read("MSH|^~\\&|E|C|T|T|20260115||ACK|X|P|2.5.1\rMSA|" + code + "|CTL\r");
      assertEquals(AckCode.valueOf(code), ack.code());
    }
    assertTrue(reader.read("MSH|^~\\&|E|C|T|T|20260115||ACK|X|P|2.5.1\rMSA|CA|CTL\r").accepted());
  }

  @Test
  void readsAVersion23AckWithItsErr1Codes() throws Exception {
    Ack ack = reader.read("MSH|^~\\&|E|C|T|T|20260115||ACK^A04|X|P|2.3\rMSA|AE|CTL-3\rERR|PID^1^3^103&Table value not found\r");
    assertEquals(AckCode.AE, ack.code());
    assertEquals("CTL-3", ack.controlId());
    assertEquals("PID^1^3", ack.errorLocation());
  }

  @Test
  void fallsBackToRawSegmentsWhenHapiCannotParse() throws Exception {
    Ack ack = reader.read("MSH|^~\\&|E|C|T|T|20260115||ACK|X|P|9.9\rMSA|AR|CTL-4\rERR||MSH^1^12|203^Unsupported version id^HL70357|E\r");
    assertEquals(AckCode.AR, ack.code());
    assertEquals("CTL-4", ack.controlId());
    assertEquals("203", ack.errorCode());
  }

  @Test
  void acceptsLineFeedSeparatedAcks() throws Exception {
    assertEquals("CTL-5", reader.read("MSH|^~\\&|E|C|T|T|20260115||ACK|X|P|2.5.1\nMSA|AA|CTL-5\n").controlId());
  }

  @Test
  void refusesAnswersWithoutAnAcknowledgmentCode() {
    assertThrows(AckFormatException.class, () -> reader.read("not hl7"));
    assertThrows(AckFormatException.class, () -> reader.read("MSH|^~\\&|E|C|T|T|20260115||ACK|X|P|2.5.1\r"));
    assertThrows(AckFormatException.class, () -> reader.read("MSH|^~\\&|E|C|T|T|20260115||ACK|X|P|2.5.1\rMSA|ZZ|C\r"));
  }
}
