package io.telebridge.hl7v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class Hl7TimesTest {

  private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

  @Test
  void readsEveryPrecisionWithAndWithoutAnOffset() {
    assertEquals(OffsetDateTime.parse("2025-11-20T14:30:00-05:00"), Hl7Times.parse("20251120143000-0500", CHICAGO));
    assertEquals(OffsetDateTime.parse("2025-11-20T14:30:00+05:30"), Hl7Times.parse("202511201430+0530", CHICAGO));
    assertEquals(OffsetDateTime.parse("2025-11-20T14:30:12.345-06:00"), Hl7Times.parse("20251120143012.345", CHICAGO));
    assertEquals(OffsetDateTime.parse("2025-07-01T00:00:00-05:00"), Hl7Times.parse("20250701", CHICAGO), "summer time");
    assertEquals(OffsetDateTime.parse("2025-01-01T00:00:00-06:00"), Hl7Times.parse("2025", CHICAGO));
    assertNull(Hl7Times.parse(" ", CHICAGO));
  }

  @Test
  void refusesMalformedTimes() {
    assertThrows(IllegalArgumentException.class, () -> Hl7Times.parse("2025112", CHICAGO));
    assertThrows(IllegalArgumentException.class, () -> Hl7Times.parse("20251120T1430", CHICAGO));
    assertThrows(IllegalArgumentException.class, () -> Hl7Times.parse("20251120-05", CHICAGO));
    assertThrows(RuntimeException.class, () -> Hl7Times.parse("20251345", CHICAGO));
  }

  @Test
  void readsBirthDates() {
    assertEquals(LocalDate.of(1984, 7, 19), Hl7Times.date("19840719"));
    assertEquals(LocalDate.of(1984, 7, 19), Hl7Times.date("198407191200"));
    assertNull(Hl7Times.date("1984"));
    assertNull(Hl7Times.date("19841399"));
  }
}
