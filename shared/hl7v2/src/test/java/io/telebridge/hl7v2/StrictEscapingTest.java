package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.hl7v2.parser.EncodingCharacters;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StrictEscapingTest {

  private static final EncodingCharacters ENC = new EncodingCharacters('|', "^~\\&");
  private final StrictEscaping escaping = new StrictEscaping();

  @Test
  void escapesEveryDelimiter() {
    assertEquals("O'Brien\\F\\Smith\\S\\Jr", escaping.escape("O'Brien|Smith^Jr", ENC));
    assertEquals("a\\T\\b\\R\\c\\E\\d", escaping.escape("a&b~c\\d", ENC));
  }

  @Test
  void leavesPlainTextUntouched() {
    String plain = "Seán O'Connell-Reyes, Đặng #4";
    assertEquals(plain, escaping.escape(plain, ENC));
  }

  @Test
  void escapesBackslashesThatLookLikeFormattingSequences() {
    // HAPI's default escaping would let these through as escape sequences
    assertEquals("C:\\E\\X1\\E\\", escaping.escape("C:\\X1\\", ENC));
    assertEquals("\\E\\.br\\E\\", escaping.escape("\\.br\\", ENC));
    assertEquals("a\\E\\H\\E\\b", escaping.escape("a\\H\\b", ENC));
  }

  @Test
  void turnsEveryKindOfLineBreakIntoOneHl7LineBreak() {
    assertEquals("a\\.br\\b\\.br\\c\\.br\\d", escaping.escape("a\r\nb\nc\rd", ENC));
  }

  @Test
  void hexEscapesOtherControlCharacters() {
    assertEquals("a\\X09\\b\\X00\\c", escaping.escape("a\tb\u0000c", ENC));
  }

  @Test
  void unescapesWhatItEscaped() {
    assertEquals("O'Brien|Smith^Jr & ~ \\", escaping.unescape("O'Brien\\F\\Smith\\S\\Jr \\T\\ \\R\\ \\E\\", ENC));
    assertEquals("a\nb\tc", escaping.unescape("a\\.br\\b\\X09\\c", ENC));
  }

  @Test
  void keepsUnknownAndFormattingSequencesItCannotDecode() {
    assertEquals("\\H\\bold\\N\\ \\.sp2\\ \\XC3A9\\", escaping.unescape("\\H\\bold\\N\\ \\.sp2\\ \\XC3A9\\", ENC));
    assertEquals("trailing \\", escaping.unescape("trailing \\", ENC));
  }

  @Test
  void roundTripsRandomTextExceptThatLineBreaksBecomeLineFeeds() {
    Random random = new Random(42);
    String alphabet = "ab|^~&\\\r\n\t.XHN#é";
    for (int i = 0; i < 2_000; i++) {
      StringBuilder s = new StringBuilder();
      int len = random.nextInt(20);
      for (int k = 0; k < len; k++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = s.toString();
      String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
      String escaped = escaping.escape(text, ENC);
      assertEquals(-1, escaped.indexOf('|'), escaped);
      assertEquals(-1, escaped.indexOf('\r'), escaped);
      assertEquals(-1, escaped.indexOf('\n'), escaped);
      assertEquals(normalised, escaping.unescape(escaped, ENC), () -> "for " + text.replace("\r", "<CR>").replace("\n", "<LF>"));
    }
  }
}
