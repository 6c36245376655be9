package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Hl7TextTest {

  private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;

  private static String a08(String msh18) {
    return "MSH|^~\\&|EHR|F|TB|TH|20251124||ADT^A08|C1|P|2.4|||||USA|" + msh18 + "\rPID|1||M1^^^EPI^MR||Muñoz^José\r";
  }

  @ParameterizedTest
  @CsvSource({"ASCII,US-ASCII", "8859/1,ISO-8859-1", "8859/2,ISO-8859-2", "8859/5,ISO-8859-5", "8859/9,ISO-8859-9",
      "8859/15,ISO-8859-15", "ISO IR100,ISO-8859-1", "UNICODE UTF-8,UTF-8", "UNICODE,UTF-8", "UTF-8,UTF-8", "utf8,UTF-8",
      " unicode utf-8 ,UTF-8", "8859/1~ISO IR87,ISO-8859-1", "WINDOWS-1252,windows-1252"})
  void everyTable0211NameAndTheSpellingsSeenInTheWildMapToOneCharset(String msh18, String java) {
    assertEquals(Charset.forName(java), Hl7Charsets.forMsh18(msh18).orElseThrow());
  }

  @Test
  void msh18AbsentMeansTheProfilesDefault() {
    byte[] raw = "MSH|^~\\&|EHR|F|TB|TH|20251124||ADT^A08|C1|P|2.4\rPID|1||M1^^^EPI^MR||Muñoz^José\r".getBytes(LATIN1);
    assertEquals(LATIN1, Hl7Text.charsetOf(raw, LATIN1));
    assertTrue(Hl7Text.decode(raw, LATIN1).contains("Muñoz^José"));
    var e = assertThrows(UnreadableMessageException.class, () -> Hl7Text.decode(raw, StandardCharsets.UTF_8));
    assertEquals(UnreadableMessageException.UNDECODABLE, e.reason());
  }

  @Test
  void latin1BytesDeclaredAsLatin1DecodeIntact() {
    assertTrue(Hl7Text.decode(a08("8859/1").getBytes(LATIN1), StandardCharsets.UTF_8).contains("Muñoz^José"));
  }

  @Test
  void bytesTheCharsetCannotDecodeAreRefusedWithTheOffsetNeverReplaced() {
    byte[] raw = a08("UNICODE UTF-8").getBytes(LATIN1);
    int offset = new String(raw, LATIN1).indexOf('ñ');
    var e = assertThrows(UnreadableMessageException.class, () -> Hl7Text.decode(raw, StandardCharsets.UTF_8));
    assertEquals("102", e.errorCode());
    assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
    assertFalse(e.getMessage().contains("Mu"), "no content in the reason");
  }

  @Test
  void anMsh18NamingNoKnownCharsetIsRefusedAt103() {
    var e = assertThrows(UnreadableMessageException.class,
        () -> Hl7Text.decode(a08("KLINGON-8").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    assertEquals(UnreadableMessageException.UNKNOWN_CHARSET, e.reason());
    assertEquals("103", e.errorCode());
    assertEquals("MSH", e.segment());
    assertEquals(18, e.field());
  }

  @Test
  void encodingIsStrict() {
    assertArrayEquals("Muñoz".getBytes(LATIN1), Hl7Text.encode("Muñoz", LATIN1));
    var e = assertThrows(IllegalArgumentException.class, () -> Hl7Text.encode("Nguyễn", LATIN1));
    assertTrue(e.getMessage().contains("offset 4"), e.getMessage());
  }

  @Test
  void mshFieldsAreReadFromBytesAfterABomAndLineEnds() {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] msg = ("\r\n" + a08("8859/1")).getBytes(LATIN1);
    byte[] raw = new byte[bom.length + msg.length];
    System.arraycopy(bom, 0, raw, 0, 3);
    System.arraycopy(msg, 0, raw, 3, msg.length);
    assertEquals("8859/1", Hl7Text.mshField(raw, 18));
    assertEquals("C1", Hl7Text.mshField(raw, 10));
    assertEquals("|", Hl7Text.mshField(raw, 1));
    assertEquals(null, Hl7Text.mshField("PID|1".getBytes(LATIN1), 18));
  }

  @Test
  void theListenersFormKeepsTheTextAndUnifiesSegmentEnds() {
    assertEquals("MSH|a\rPID|b\r", Hl7Text.crSegmentEnds("\uFEFF\r\nMSH|a\r\nPID|b\n"));
  }
}
