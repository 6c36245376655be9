package io.telebridge.json;

import io.telebridge.core.intake.InvalidField;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The rules a webhook event must meet beyond the shape JSON Schema describes: the one list of what
 * the to-EHR path can carry. The intake runs them (through {@link PlatformEventReader#problems}) and
 * answers 400 naming each field; the translator runs the same code when it reads the event (a
 * violation there means the intake was bypassed, and the event goes to the DLQ). Pure Java on a
 * Jackson tree: no AWS, no HAPI.
 *
 * <ol>
 *   <li><b>Characters</b>: every string and every member name holds only what SQS can carry
 *       ({@code #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF}): no other control
 *       character, no U+FFFE/U+FFFF, no unpaired surrogate (the queues between the stages refuse the
 *       message otherwise, and the intake would answer 503 for ever).
 *   <li><b>Date-times</b> ({@code occurredAt}, {@code start}, {@code end}, {@code registeredAt},
 *       {@code updatedAt}, {@code signedAt}): RFC 3339 with a real date and time (no leap second
 *       {@code :60}), an offset within ±14:00 (the widest in use), and an instant between
 *       {@value #MIN_YEAR} and {@value #MAX_YEAR}, so that every zone writes it as a four-digit-year
 *       HL7 DTM.
 *   <li><b>Dates</b> ({@code birthDate}, {@code serviceDate}): a real calendar date in the same years.
 *   <li><b>Time zones</b> ({@code timeZone}): a region name of the IANA tz database as the JDK knows it
 *       ({@code America/New_York}, {@code UTC}); offsets ({@code +05:00}) and unknown names are refused.
 *   <li><b>Appointments</b>: {@code end} after {@code start}, for the appointment and its previous
 *       times.
 *   <li><b>NPIs</b>: the check digit (Luhn over {@code 80840} + the first nine digits).
 * </ol>
 *
 * <p>Messages name the rule, never the value. Thread-safe and stateless.
 */
public final class EventRules {

  /** Earliest year of any date or date-time. */
  public static final int MIN_YEAR = 1800;

  /** Latest year of any date or date-time. */
  public static final int MAX_YEAR = 9998;

  /** The widest offset in use (Kiribati, UTC+14:00; the most negative is -12:00). */
  public static final int MAX_OFFSET_SECONDS = 14 * 3600;

  static final Set<String> DATE_TIMES = Set.of("occurredAt", "start", "end", "registeredAt", "updatedAt", "signedAt");

  static final Set<String> DATES = Set.of("birthDate", "serviceDate");

  static final String TIME_ZONE = "timeZone";

  private static final Pattern DATE_TIME = Pattern.compile(
      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})");

  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

  private EventRules() {}

  /** Every rule broken by the event, in document order; empty when it meets them all. */
  public static List<InvalidField> check(JsonNode event) {
    List<InvalidField> out = new ArrayList<>();
    walk(event, "", null, out);
    JsonNode data = event.path("data");
    endsAfterStart(data.path("appointment"), "/data/appointment", out);
    endsAfterStart(data.path("previous"), "/data/previous", out);
    npi(data.path("appointment").path("provider").path("npi"), "/data/appointment/provider/npi", out);
    npi(data.path("note").path("author").path("npi"), "/data/note/author/npi", out);
    return out;
  }

  /** Whether SQS can carry this code point (its message body rules). */
  public static boolean sqsCanCarry(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }

  /** Whether every character of the text is one SQS carries (surrogates only as well-formed pairs). */
  public static boolean sqsCanCarry(CharSequence text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a pair: a code point >= 0x10000
        continue;
      }
      if (Character.isSurrogate(c) || !sqsCanCarry(c)) {
        return false;
      }
    }
    return true;
  }

  private static void walk(JsonNode node, String pointer, String name, List<InvalidField> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        String at = pointer + "/" + escape(member.getKey());
        if (!sqsCanCarry(member.getKey())) {
          out.add(new InvalidField(at, "has a member name with a character outside what the queues carry"));
          continue;
        }
        walk(member.getValue(), at, member.getKey(), out);
      }
    } else if (node.isArray()) {
      int i = 0;
      for (JsonNode item : node.values()) {
        walk(item, pointer + "/" + i++, null, out);
      }
    } else if (node.isString()) {
      String value = node.stringValue();
      if (!sqsCanCarry(value)) {
        out.add(new InvalidField(pointer, "holds a character outside what the queues carry "
            + "(allowed: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF)"));
      } else if (name != null && DATE_TIMES.contains(name)) {
        String rule = dateTimeRule(value);
        if (rule != null) {
          out.add(new InvalidField(pointer, rule));
        }
      } else if (name != null && DATES.contains(name)) {
        String rule = dateRule(value);
        if (rule != null) {
          out.add(new InvalidField(pointer, rule));
        }
      } else if (TIME_ZONE.equals(name) && !ZONES.contains(value)) {
        out.add(new InvalidField(pointer, "must be an IANA time zone name (e.g. America/New_York)"));
      }
    }
  }

  /** Null when the value is a date-time the translator can carry, else the rule it breaks. */
  static String dateTimeRule(String value) {
    OffsetDateTime t = parseDateTime(value);
    if (t == null) {
      return "must be an RFC 3339 date-time with an offset (YYYY-MM-DDThh:mm:ss±hh:mm, a real date and time)";
    }
    if (Math.abs(t.getOffset().getTotalSeconds()) > MAX_OFFSET_SECONDS) {
      return "must have an offset within -14:00..+14:00";
    }
    if (!inYears(t.toInstant())) {
      return "must be within the years " + MIN_YEAR + ".." + MAX_YEAR;
    }
    return null;
  }

  /** The date-time, or null when it is not RFC 3339 with an offset (the only form the reader accepts). */
  static OffsetDateTime parseDateTime(String value) {
    if (value == null || !DATE_TIME.matcher(value).matches()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeException e) {
      return null;
    }
  }

  static String dateRule(String value) {
    LocalDate d = parseDate(value);
    if (d == null) {
      return "must be a real date in the form YYYY-MM-DD";
    }
    if (d.getYear() < MIN_YEAR || d.getYear() > MAX_YEAR) {
      return "must be within the years " + MIN_YEAR + ".." + MAX_YEAR;
    }
    return null;
  }

  static LocalDate parseDate(String value) {
    if (value == null || !DATE.matcher(value).matches()) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Whether the value names a zone of the IANA tz database (as the JDK knows it). */
  static boolean isIanaZone(String value) {
    return value != null && ZONES.contains(value);
  }

  private static boolean inYears(Instant instant) {
    // checked in the widest offsets, so every zone writes it with a four-digit year
    int earliest = instant.atOffset(java.time.ZoneOffset.ofHours(-18)).getYear();
    int latest = instant.atOffset(java.time.ZoneOffset.ofHours(18)).getYear();
    return earliest >= MIN_YEAR && latest <= MAX_YEAR;
  }

  private static void endsAfterStart(JsonNode node, String at, List<InvalidField> out) {
    if (!node.isObject()) {
      return;
    }
    OffsetDateTime start = node.path("start").isString() ? parseDateTime(node.path("start").stringValue()) : null;
    OffsetDateTime end = node.path("end").isString() ? parseDateTime(node.path("end").stringValue()) : null;
    if (start != null && end != null && !end.isAfter(start)) {
      out.add(new InvalidField(at + "/end", "must be after start"));
    }
  }

  private static void npi(JsonNode npi, String at, List<InvalidField> out) {
    if (npi.isString() && npi.stringValue().length() == 10 && !validNpi(npi.stringValue())) {
      out.add(new InvalidField(at, "must be an NPI with a valid check digit"));
    }
  }

  /** NPI check digit: Luhn over the 9 leading digits prefixed with 80840 (CMS). */
  public static boolean validNpi(String npi) {
    String digits = "80840" + npi;
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
