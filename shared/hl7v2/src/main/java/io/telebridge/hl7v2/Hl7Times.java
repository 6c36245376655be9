package io.telebridge.hl7v2;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * HL7 v2 DTM/TS values as sent: {@code YYYY[MM[DD[HH[MM[SS[.S{1,4}]]]]]][+/-ZZZZ]}. A value without an
 * offset is read in the given zone (the EHR's configured time zone): many EHRs send local times.
 */
public final class Hl7Times {

  private Hl7Times() {}

  /** @return null for null or blank; throws {@link IllegalArgumentException} for a malformed value */
  public static OffsetDateTime parse(String value, ZoneId zone) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    ZoneOffset offset = null;
    int sign = Math.max(v.indexOf('+'), v.indexOf('-'));
    if (sign > 0) {
      String z = v.substring(sign);
      if (z.length() != 5) {
        throw new IllegalArgumentException("malformed HL7 time offset");
      }
      offset = ZoneOffset.ofHoursMinutes(Integer.parseInt(z.substring(0, 3)),
          (z.charAt(0) == '-' ? -1 : 1) * Integer.parseInt(z.substring(3)));
      v = v.substring(0, sign);
    }
    int nanos = 0;
    int dot = v.indexOf('.');
    if (dot >= 0) {
      String frac = (v.substring(dot + 1) + "000000000").substring(0, 9);
      nanos = Integer.parseInt(frac);
      v = v.substring(0, dot);
    }
    if (v.length() < 4 || v.length() > 14 || v.length() % 2 != 0 || !v.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("malformed HL7 time");
    }
    int year = Integer.parseInt(v.substring(0, 4));
    int month = v.length() >= 6 ? Integer.parseInt(v.substring(4, 6)) : 1;
    int day = v.length() >= 8 ? Integer.parseInt(v.substring(6, 8)) : 1;
    int hour = v.length() >= 10 ? Integer.parseInt(v.substring(8, 10)) : 0;
    int minute = v.length() >= 12 ? Integer.parseInt(v.substring(10, 12)) : 0;
    int second = v.length() >= 14 ? Integer.parseInt(v.substring(12, 14)) : 0;
    LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    return offset != null ? OffsetDateTime.of(local, offset) : local.atZone(zone).toOffsetDateTime();
  }

  /** A date (PID-7): the first 8 digits; null when absent or malformed. */
  public static LocalDate date(String value) {
    if (value == null || value.trim().length() < 8) {
      return null;
    }
    String v = value.trim().substring(0, 8);
    try {
      return LocalDate.of(Integer.parseInt(v.substring(0, 4)), Integer.parseInt(v.substring(4, 6)),
          Integer.parseInt(v.substring(6, 8)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
