package io.telebridge.mllp.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.mllp.Hl7Samples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawHl7Test {

  @Test
  void readsMshFieldsWithHl7Numbering() {
    RawHl7 m = RawHl7.of(Hl7Samples.siuS12("CTL-1", "PAT-1"));
    assertEquals("|", m.msh(1));
    assertEquals("^~\\&", m.msh(2));
    assertEquals("TELEBRIDGE", m.msh(3));
    assertEquals("CTL-1", m.controlId());
    assertEquals("SIU^S12", m.messageType());
    assertEquals("S12", m.triggerEvent());
    assertEquals("2.5.1", m.msh(12));
    assertEquals("UNICODE UTF-8", m.msh(18));
  }

  @Test
  void readsEveryPatientIdentifierOfPid3() {
    RawHl7 m = RawHl7.of("MSH|^~\\&|A|B|C|D|||ADT^A08|1|P|2.5.1\rPID|1||P1^^^PLAT^PI~MRN9^^^EHR^MR||X\r");
    assertEquals(List.of("P1", "MRN9"), m.patientIds());
  }

  @Test
  void acceptsLineFeedAndCrLfSegmentSeparators() {
    RawHl7 m = RawHl7.of("MSH|^~\\&|A|B|C|D|||ADT^A08|7|P|2.5.1\r\nPID|1||P1\nPV1|1|O\n");
    assertEquals(3, m.segments().size());
    assertEquals("P1", m.patientIds().get(0));
  }

  @Test
  void usesTheMessagesOwnSeparators() {
    RawHl7 m = RawHl7.of("MSH#*~\\&#A#B#C#D###ADT*A04#42#P#2.5.1\rPID#1##P7\r");
    assertEquals("42", m.controlId());
    assertEquals("ADT^A04", m.messageType());
    assertEquals(List.of("P7"), m.patientIds());
  }

  @Test
  void returnsEmptyForFieldsThatAreAbsent() {
    RawHl7 m = RawHl7.of("MSH|^~\\&|A\r");
    assertEquals("", m.controlId());
    assertEquals("", m.field("PID", 3));
    assertEquals(List.of(), m.patientIds());
  }

  @Test
  void refusesTextThatIsNotHl7() {
    assertFalse(RawHl7.looksLikeHl7("{\"json\":true}"));
    assertThrows(IllegalArgumentException.class, () -> RawHl7.of("hello"));
  }

  @Test
  void neverPrintsTheMessageInToString() {
    String s = RawHl7.of(Hl7Samples.adtA04("C1", "P1")).toString();
    assertTrue(s.contains("C1"));
    assertFalse(s.contains(Hl7Samples.FAMILY_NAME));
  }
}
